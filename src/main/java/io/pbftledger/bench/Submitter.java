package io.pbftledger.bench;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends units of pre-signed transactions to replicas and reports their fate to the tracker.
 * Submission is idempotent on the replicas (the same signed transaction never executes twice), so
 * an overloaded replica (429, 503) or a broken connection is retried with the same bytes until the
 * run gives up; every failed attempt is counted as an error of its kind.
 */
abstract class Submitter {
    static final long RETRY_DELAY_MS = 50;
    static final long RETRY_AFTER_MAX_MS = 2_000;

    protected final LedgerEndpoints endpoints;
    protected final List<String> replicaUrls;
    protected final CommitTracker tracker;
    protected final ErrorCounts errors;
    private final ScheduledExecutorService retries;
    private volatile long giveUpAtNanos = Long.MAX_VALUE;

    Submitter(LedgerEndpoints endpoints, List<String> replicaUrls, CommitTracker tracker, ErrorCounts errors,
              ScheduledExecutorService retries) {
        this.endpoints = endpoints;
        this.replicaUrls = List.copyOf(replicaUrls);
        this.tracker = tracker;
        this.errors = errors;
        this.retries = retries;
    }

    /** Sends {@code unit} (already marked as started in the tracker) to replica {@code replica}. */
    abstract void submit(List<Workload.SignedTx> unit, int replica);

    /** From now on, failed attempts after {@code nanos} are not retried: the transaction fails. */
    void giveUpAt(long nanos) {
        giveUpAtNanos = nanos;
    }

    /** Whether the run has stopped waiting for outstanding transactions. */
    protected boolean givenUp() {
        return System.nanoTime() > giveUpAtNanos;
    }

    /**
     * Where a refused or failed attempt goes next: the next replica, as a PBFT client re-sends when a
     * replica does not take its request (a stalled or overloaded replica must not trap its share).
     */
    protected int next(int replica) {
        return (replica + 1) % replicaUrls.size();
    }

    static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** Runs {@code task} after {@code delayMs} unless the run stops waiting first. */
    protected void later(long delayMs, Runnable task) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) <= giveUpAtNanos) {
            retries.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs {@code again} after the back-off, or fails {@code unit} when the run no longer waits. */
    protected void retryLater(List<Workload.SignedTx> unit, long retryAfterSeconds, Runnable again) {
        long delayMs = retryAfterSeconds > 0 ? Math.min(RETRY_AFTER_MAX_MS, retryAfterSeconds * 1000) : RETRY_DELAY_MS;
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) > giveUpAtNanos) {
            unit.forEach(tx -> tracker.failed(tx.index()));
            return;
        }
        retries.schedule(again, delayMs, TimeUnit.MILLISECONDS);
    }
}
