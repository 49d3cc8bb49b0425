package io.pbftledger.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The in-flight window of a run and where each transaction stands. A transaction takes one permit
 * when it is sent and gives it back when it commits or fails for good, so at most
 * {@code concurrency} transactions are outstanding. A commit seen twice (a retried request, a block
 * seen by the follower after the waiting request answered) counts once.
 */
final class CommitTracker {
    private static final int IDLE = 0;
    private static final int IN_FLIGHT = 1;
    private static final int COMMITTED = 2;
    private static final int FAILED = 3;

    private final Map<String, Integer> indexByTxId;
    private final AtomicIntegerArray state;
    private final AtomicLongArray startNanos;
    /** 1 once a replica took the transaction, or might have (an answer lost on a broken connection). */
    private final AtomicIntegerArray mayBeAccepted;
    private final Semaphore window;
    private final LatencyRecorder latencies;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger committed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong lastCommitNanos = new AtomicLong();

    CommitTracker(List<Workload.SignedTx> transactions, int concurrency) {
        Map<String, Integer> index = new HashMap<>(transactions.size() * 2);
        for (Workload.SignedTx tx : transactions) {
            index.put(tx.txId(), tx.index());
        }
        this.indexByTxId = Map.copyOf(index);
        this.state = new AtomicIntegerArray(transactions.size());
        this.startNanos = new AtomicLongArray(transactions.size());
        this.mayBeAccepted = new AtomicIntegerArray(transactions.size());
        this.window = new Semaphore(concurrency);
        this.latencies = new LatencyRecorder(transactions.size());
    }

    /** Waits up to {@code timeoutNanos} for room for {@code count} more transactions in flight. */
    boolean acquire(int count, long timeoutNanos) throws InterruptedException {
        return window.tryAcquire(count, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Marks transaction {@code index} as sent at {@code nanos} (the intended send time in a fixed-rate run). */
    void started(int index, long nanos) {
        startNanos.set(index, nanos);
        if (!state.compareAndSet(index, IDLE, IN_FLIGHT)) {
            throw new IllegalStateException("transaction " + index + " was sent twice by the run");
        }
        sent.incrementAndGet();
    }

    /** A commit of one of this run's transactions, seen at {@code nowNanos}; others' txIds are ignored. */
    void committed(String txId, long nowNanos) {
        Integer index = indexByTxId.get(txId);
        if (index != null) {
            committed(index, nowNanos);
        }
    }

    void committed(int index, long nowNanos) {
        if (state.compareAndSet(index, IN_FLIGHT, COMMITTED)) {
            latencies.record(nowNanos - startNanos.get(index));
            lastCommitNanos.accumulateAndGet(nowNanos, Math::max);
            committed.incrementAndGet();
            window.release();
        }
    }

    /** The transaction was refused for good (or retries ran out): it leaves the window uncommitted. */
    void failed(int index) {
        if (state.compareAndSet(index, IN_FLIGHT, FAILED)) {
            failed.incrementAndGet();
            window.release();
        }
    }

    /** A replica accepted the transaction (202, ACCEPTED, DUPLICATE), or its answer was lost on the way. */
    void mayBeAccepted(int index) {
        mayBeAccepted.set(index, 1);
    }

    /** It failed for good and every attempt was refused outright: no replica ever held it. */
    boolean neverAccepted(int index) {
        return state.get(index) == FAILED && mayBeAccepted.get(index) == 0;
    }

    boolean isInFlight(int index) {
        return state.get(index) == IN_FLIGHT;
    }

    int inFlight() {
        return sent.get() - committed.get() - failed.get();
    }

    int sent() {
        return sent.get();
    }

    int committed() {
        return committed.get();
    }

    long lastCommitNanos() {
        return lastCommitNanos.get();
    }

    LatencyRecorder latencies() {
        return latencies;
    }
}
