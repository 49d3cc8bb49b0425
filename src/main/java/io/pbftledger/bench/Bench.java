package io.pbftledger.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a benchmark against a running cluster: signs the workload, optionally warms the cluster up,
 * offers the measured load, then audits the chain. The {@code bench} command is its only caller.
 */
public final class Bench {
    private final BenchSettings settings;

    public Bench(BenchSettings settings) {
        this.settings = settings;
    }

    /**
     * @param log         progress messages (signing, warm-up, audit)
     * @param progressBar where to draw the progress bar, or null for none
     */
    public BenchResult run(PrintWriter log, PrintWriter progressBar) throws IOException, InterruptedException {
        ExecutorService http = Executors.newCachedThreadPool(daemons("bench-http"));
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemons("bench-retry"));
        try {
            ErrorCounts errors = new ErrorCounts();
            LedgerEndpoints endpoints = new LedgerEndpoints(http);
            LoadGenerator generator = new LoadGenerator(settings, endpoints, retries, errors);
            int warmup = settings.warmupTransactions();
            if (warmup > 0) {
                say(log, "warming up with " + warmup + " transactions (not measured)");
                Workload warm = Workload.sign(settings.clients(), warmup, settings.payloadBytes(), settings.firstNonce());
                generator.run(warm, null);
            }
            long signStart = System.nanoTime();
            Workload workload = Workload.sign(settings.clients(), settings.transactions(), settings.payloadBytes(),
                    settings.firstNonce() + warmup);
            say(log, String.format(java.util.Locale.ROOT, "signed %d transactions in %.1f s (not measured)",
                    workload.size(), (System.nanoTime() - signStart) / 1e9));
            ErrorCounts measuredErrors = new ErrorCounts();
            LoadGenerator.Pass pass = new LoadGenerator(settings, endpoints, retries, measuredErrors).run(workload, progressBar);
            say(log, "checking that every transaction sent committed exactly once");
            CommitAudit.Verdict verdict = new CommitAudit(endpoints, settings.replicaUrls(), measuredErrors, log)
                    .check(workload.transactions().subList(0, pass.sent()), pass.startHeight(), pass.neverAccepted());
            return result(pass, verdict, measuredErrors);
        } finally {
            retries.shutdownNow();
            http.shutdownNow();
        }
    }

    private BenchResult result(LoadGenerator.Pass pass, CommitAudit.Verdict verdict, ErrorCounts errors) {
        double seconds = pass.elapsedNanos() / 1e9;
        LatencyRecorder.Percentiles p = pass.latency();
        BenchSettings s = settings;
        return new BenchResult(s.replicaUrls().size(), s.clients().size(), s.transactions(), pass.sent(), verdict.committed(),
                verdict.duplicated(), verdict.lost(), verdict.neverAccepted(), seconds, seconds > 0 ? pass.committed() / seconds : 0,
                new BenchResult.Latency(p.p50Ms(), p.p90Ms(), p.p99Ms(), p.maxMs()), verdict.blocks(), verdict.blockTransactions(),
                verdict.foreignTransactions(), errors.snapshot(),
                new BenchResult.Settings(s.concurrency(), s.payloadBytes(), s.batchSize(), s.ratePerSecond(),
                        s.duration() == null ? null : s.duration().toMillis() / 1000.0, s.warmupTransactions()));
    }

    private static void say(PrintWriter log, String line) {
        log.println(line);
        log.flush();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
