package io.pbftledger.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Offers one workload to the cluster: units of {@code batchSize} transactions, unit {@code k} to
 * replica {@code k mod n}, either as fast as the in-flight window allows (closed loop) or on a fixed
 * schedule. In a fixed-rate run each latency counts from the unit's scheduled time, not from when it
 * could actually be sent, so a stalled cluster cannot hide its queueing delay (coordinated omission).
 */
final class LoadGenerator {
    static final long DRAIN_POLL_MS = 5;
    static final long ACQUIRE_SLICE_MS = 100;

    /**
     * What one pass measured; {@code elapsedNanos} runs from the first send to the last commit seen.
     *
     * @param neverAccepted whether transaction {@code index} failed with every attempt refused outright
     */
    record Pass(int sent, int committed, long elapsedNanos, LatencyRecorder.Percentiles latency, long startHeight,
                java.util.function.IntPredicate neverAccepted) {
    }

    private final BenchSettings settings;
    private final LedgerEndpoints endpoints;
    private final ScheduledExecutorService retries;
    private final ErrorCounts errors;

    LoadGenerator(BenchSettings settings, LedgerEndpoints endpoints, ScheduledExecutorService retries, ErrorCounts errors) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.retries = retries;
        this.errors = errors;
    }

    Pass run(Workload workload, PrintWriter progressOut) throws IOException, InterruptedException {
        List<String> urls = settings.replicaUrls();
        CommitTracker tracker = new CommitTracker(workload.transactions(), settings.concurrency());
        long startHeight = startHeight(urls);
        Submitter submitter;
        BlockFollower follower = null;
        if (settings.batchSize() == 1) {
            submitter = new WaitingSubmitter(endpoints, urls, tracker, errors, retries, settings.waitMs());
        } else {
            submitter = new BatchingSubmitter(endpoints, urls, tracker, errors, retries, settings.waitMs());
            follower = new BlockFollower(endpoints, urls, startHeight, tracker::committed, errors);
            follower.start();
        }
        ProgressBar bar = progressOut == null ? null
                : new ProgressBar(progressOut, workload.size(), tracker::committed, tracker::inFlight);
        long start = System.nanoTime();
        try {
            offer(workload, tracker, submitter, start);
            long giveUpAt = System.nanoTime() + settings.drainTimeout().toNanos();
            submitter.giveUpAt(giveUpAt);
            while (tracker.inFlight() > 0 && System.nanoTime() < giveUpAt) {
                Thread.sleep(DRAIN_POLL_MS);
            }
        } finally {
            if (follower != null) {
                follower.close();
            }
            if (bar != null) {
                bar.close();
            }
        }
        long elapsed = tracker.committed() == 0 ? System.nanoTime() - start : tracker.lastCommitNanos() - start;
        return new Pass(tracker.sent(), tracker.committed(), elapsed, tracker.latencies().percentiles(), startHeight,
                tracker::neverAccepted);
    }

    /** The newest height at the first replica that answers (one may be down: a crash being measured). */
    private long startHeight(List<String> urls) throws IOException, InterruptedException {
        IOException last = null;
        for (String url : urls) {
            try {
                return endpoints.latestHeight(url);
            } catch (IOException e) {
                last = e;
            } catch (RuntimeException e) {
                last = new IOException(url + ": " + ErrorCounts.kindOf(e), e);
            }
        }
        throw last;
    }

    private void offer(Workload workload, CommitTracker tracker, Submitter submitter, long start) throws InterruptedException {
        List<Workload.SignedTx> all = workload.transactions();
        int batch = settings.batchSize();
        long stopAt = settings.duration() == null ? Long.MAX_VALUE : start + settings.duration().toNanos();
        double unitIntervalNanos = settings.ratePerSecond() > 0 ? batch * 1e9 / settings.ratePerSecond() : 0;
        int units = (all.size() + batch - 1) / batch;
        for (int k = 0; k < units; k++) {
            List<Workload.SignedTx> unit = all.subList(k * batch, Math.min(all.size(), (k + 1) * batch));
            long scheduled = start + (long) (k * unitIntervalNanos);
            if (scheduled >= stopAt) {
                return;
            }
            LockSupport.parkNanos(scheduled - System.nanoTime());
            if (!acquire(tracker, unit.size(), stopAt)) {
                return;
            }
            long sentAt = unitIntervalNanos > 0 ? scheduled : System.nanoTime();
            unit.forEach(tx -> tracker.started(tx.index(), sentAt));
            submitter.submit(unit, k % settings.replicaUrls().size());
        }
    }

    /** Waits for room in the window; false when the run's duration ends first. */
    private static boolean acquire(CommitTracker tracker, int count, long stopAt) throws InterruptedException {
        while (System.nanoTime() < stopAt) {
            if (tracker.acquire(count, TimeUnit.MILLISECONDS.toNanos(ACQUIRE_SLICE_MS))) {
                return true;
            }
        }
        return false;
    }
}
