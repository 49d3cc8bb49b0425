package io.pbftledger.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Checks after a run that every transaction sent committed exactly once. It waits until every
 * replica holds the highest block any of them reached, then (1) walks the first answering replica's blocks of the run,
 * counting how often each of the run's txIds occurs and checking each block's transaction list
 * against its header's {@code transactionCount}, and (2) asks for each txId, spread over all
 * replicas, whether it is COMMITTED at the height the walk found. Disagreements are errors. A
 * transaction a replica reports COMMITTED above the walked range committed after the range was fixed
 * (the run stopped waiting while the cluster was still committing): the audit walks on to where the
 * replicas agree then and asks again, at most {@link #LATE_ROUNDS_MAX} times. A replica
 * that does not answer when the audit starts (crashed on purpose) is named and left out.
 */
final class CommitAudit {
    static final long CATCH_UP_TIMEOUT_MS = 30_000;
    static final int REQUESTS_IN_FLIGHT_MAX = 32;
    /** How often the audit walks on after transactions that committed above its range, at most. */
    static final int LATE_ROUNDS_MAX = 3;

    /**
     * The verdict: committed exactly once, more than once, and not at all: lost (a replica accepted it,
     * or might have) or never accepted (every attempt was refused, e.g. 429 until the run gave up).
     */
    record Verdict(int sent, int committed, int duplicated, int lost, int neverAccepted, long blocks, long blockTransactions,
                   long foreignTransactions) {
    }

    private final LedgerEndpoints endpoints;
    private final List<String> allUrls;
    private final ErrorCounts errors;
    private final PrintWriter log;
    /** The replicas that answered when the audit began: a replica crashed on purpose is left out. */
    private List<String> urls;

    CommitAudit(LedgerEndpoints endpoints, List<String> urls, ErrorCounts errors, PrintWriter log) {
        this.endpoints = endpoints;
        this.allUrls = List.copyOf(urls);
        this.urls = this.allUrls;
        this.errors = errors;
        this.log = log;
    }

    Verdict check(List<Workload.SignedTx> sent, long startHeight, java.util.function.IntPredicate neverAccepted)
            throws IOException, InterruptedException {
        urls = answering();
        if (urls.isEmpty()) {
            throw new IOException("no replica answered GET /api/v1/blocks/latest: nothing to audit");
        }
        long endHeight = awaitReplicasAgreeOnHeight();
        Map<String, Integer> occurrences = new ConcurrentHashMap<>();
        Map<String, Long> heights = new ConcurrentHashMap<>();
        for (Workload.SignedTx tx : sent) {
            occurrences.put(tx.txId(), 0);
        }
        AtomicInteger foreign = new AtomicInteger();
        AtomicInteger listed = new AtomicInteger();
        walk(startHeight, endHeight, occurrences, heights, foreign, listed);
        List<Workload.SignedTx> late = queryEach(sent, heights, endHeight);
        // Committed after the walk's range was fixed (the run stopped waiting before the cluster was
        // done): walk on to where the replicas agree now and ask again, a few times at most.
        for (int round = 0; !late.isEmpty() && round < LATE_ROUNDS_MAX; round++) {
            long newEnd = awaitReplicasAgreeOnHeight();
            walk(endHeight, newEnd, occurrences, heights, foreign, listed);
            endHeight = newEnd;
            late = queryEach(late, heights, endHeight);
        }
        late.forEach(tx -> errors.add("audit: replicas disagree about a transaction"));
        long blocks = endHeight - startHeight;
        int once = 0;
        int more = 0;
        int refused = 0;
        for (Workload.SignedTx tx : sent) {
            int n = occurrences.get(tx.txId());
            once += n == 1 ? 1 : 0;
            more += n > 1 ? 1 : 0;
            refused += n == 0 && neverAccepted.test(tx.index()) ? 1 : 0;
        }
        return new Verdict(sent.size(), once, more, sent.size() - once - more - refused, refused, blocks, listed.get(),
                foreign.get());
    }

    /** Walks the blocks above {@code from} up to {@code to}, counting each of the run's txIds and where it is. */
    private void walk(long from, long to, Map<String, Integer> occurrences, Map<String, Long> heights,
                      AtomicInteger foreign, AtomicInteger listed) throws InterruptedException {
        inParallel((int) (to - from), b -> {
            long height = from + 1 + b;
            String url = urls.get(0);
            return endpoints.blockTransactions(url, height).thenCombine(endpoints.blockTransactionCount(url, height), (block, count) -> {
                if (block.txIds().size() != count) {
                    errors.add("audit: block lists another number of transactions than its header");
                }
                listed.addAndGet(block.txIds().size());
                for (String txId : block.txIds()) {
                    if (occurrences.computeIfPresent(txId, (id, n) -> n + 1) == null) {
                        foreign.incrementAndGet();
                    } else {
                        heights.put(txId, height);
                    }
                }
                return null;
            });
        });
    }

    /**
     * Each txId at one replica (round robin): it must be COMMITTED where the walk found it, or unknown
     * if the walk did not. Returns those a replica says are COMMITTED above {@code walkedTo}: they
     * committed after the walk's range was fixed and are not (yet) disagreements.
     */
    private List<Workload.SignedTx> queryEach(List<Workload.SignedTx> sent, Map<String, Long> heights, long walkedTo)
            throws InterruptedException {
        List<Workload.SignedTx> late = java.util.Collections.synchronizedList(new ArrayList<>());
        inParallel(sent.size(), i -> {
            String txId = sent.get(i).txId();
            return endpoints.transaction(urls.get(i % urls.size()), txId).thenApply(answer -> {
                Long expected = heights.get(txId);
                boolean committed = answer.ok() && "COMMITTED".equals(answer.body().path("status").asString(""));
                long at = committed ? answer.body().path("blockHeight").asLong(-1) : -1;
                if (expected == null && committed && at > walkedTo) {
                    late.add(sent.get(i));
                } else if (expected == null ? committed : !committed || at != expected) {
                    errors.add("audit: replicas disagree about a transaction");
                }
                return null;
            });
        });
        return List.copyOf(late);
    }

    /**
     * The replicas that answer now. One that does not (a replica killed during the run, as for the
     * crashed-replica figure) is named on the output and left out; the others must still agree.
     */
    private List<String> answering() throws InterruptedException {
        List<String> live = new ArrayList<>();
        for (String url : allUrls) {
            try {
                endpoints.latestHeight(url);
                live.add(url);
            } catch (IOException | RuntimeException e) {
                log.println("audit: " + url + " does not answer (" + e.getMessage() + "); it is left out of the audit");
                log.flush();
            }
        }
        return List.copyOf(live);
    }

    private long awaitReplicasAgreeOnHeight() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_TIMEOUT_MS);
        while (true) {
            Map<Integer, Long> heights = new HashMap<>();
            for (int r = 0; r < urls.size(); r++) {
                heights.put(r, endpoints.latestHeight(urls.get(r)));
            }
            long max = heights.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            long min = heights.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            if (min == max) {
                return max;
            }
            if (System.nanoTime() > deadline) {
                errors.add("audit: replicas did not reach the same height");
                return heights.get(0);
            }
            Thread.sleep(50);
        }
    }

    /** Runs {@code count} requests with at most {@link #REQUESTS_IN_FLIGHT_MAX} at a time; failures are counted. */
    private void inParallel(int count, IntFunction<CompletableFuture<?>> request) throws InterruptedException {
        Semaphore window = new Semaphore(REQUESTS_IN_FLIGHT_MAX);
        for (int i = 0; i < count; i++) {
            window.acquire();
            request.apply(i).whenComplete((ignored, error) -> {
                if (error != null) {
                    errors.add("audit " + ErrorCounts.kindOf(error));
                }
                window.release();
            });
        }
        window.acquire(REQUESTS_IN_FLIGHT_MAX);
    }
}
