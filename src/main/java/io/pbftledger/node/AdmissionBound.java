package io.pbftledger.node;

import java.util.function.LongSupplier;

/**
 * How many accepted, unexecuted transactions this replica's mempool admits now: what the cluster
 * executes in half a view-change timeout, shared among the n replicas, between a floor and the
 * configured maximum ({@code ledger.mempool.max-transactions}).
 *
 * <p>Why: a backup starts a view change when a request it relayed waits a view-change timeout T
 * without being ordered. If the n replicas together admit more than the cluster orders in T, a
 * saturated but correct primary is replaced for the queue it was handed, again and again. Admitting
 * at most {@code rate × T/2 / n} per replica keeps the wait of every admitted transaction near T/2 at
 * the rate the cluster sustains; what is beyond is refused at admission (429 with Retry-After), where
 * a client can retry or go elsewhere, instead of inside consensus. A dead or censoring primary is
 * still detected after T: the bound changes what is admitted, never the timers.
 *
 * <p>The rate is the highest of the per-second counts of executed transactions over the last
 * {@link #WINDOW_SECONDS} complete seconds: a brief stall (a GC pause, a checkpoint) does not shrink
 * the bound, and when load rises the bound grows with what the cluster shows it can execute. The
 * floor keeps a fresh or idle cluster open to a burst. Thread-safe.
 */
public final class AdmissionBound {
    /** Seconds of history the rate is taken from. */
    static final int WINDOW_SECONDS = 10;

    private final int max;
    private final int floor;
    private final int n;
    private final long budgetMs;
    private final LongSupplier clockMillis;
    /** Executed transactions per second, a ring indexed by second modulo the window. */
    private final long[] perSecond = new long[WINDOW_SECONDS];
    private final long[] secondOf = new long[WINDOW_SECONDS];

    /**
     * @param max      the configured mempool bound; never exceeded
     * @param floor    admitted whatever the rate (at most {@code max})
     * @param n        replicas in the cluster
     * @param budgetMs how long an admitted transaction may wait at the measured rate: half the
     *                 view-change timeout
     */
    public AdmissionBound(int max, int floor, int n, long budgetMs, LongSupplier clockMillis) {
        if (max < 1 || floor < 1 || n < 1 || budgetMs < 1) {
            throw new IllegalArgumentException("max, floor, n and budgetMs must be positive");
        }
        this.max = max;
        this.floor = Math.min(floor, max);
        this.n = n;
        this.budgetMs = budgetMs;
        this.clockMillis = clockMillis;
        java.util.Arrays.fill(secondOf, -1);
    }

    /** The configured bound alone, for callers that do not adapt it. */
    public static AdmissionBound fixed(int max) {
        return new AdmissionBound(max, max, 1, 1, () -> 0);
    }

    /** {@code count} transactions executed now. */
    public synchronized void executed(int count) {
        long second = Math.floorDiv(clockMillis.getAsLong(), 1000);
        int slot = (int) Math.floorMod(second, WINDOW_SECONDS);
        if (secondOf[slot] != second) {
            secondOf[slot] = second;
            perSecond[slot] = 0;
        }
        perSecond[slot] += count;
    }

    /** The highest per-second count of executed transactions over the last complete seconds of the window. */
    public synchronized long ratePerSecond() {
        long now = Math.floorDiv(clockMillis.getAsLong(), 1000);
        long best = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (secondOf[i] < now && secondOf[i] >= now - WINDOW_SECONDS) {
                best = Math.max(best, perSecond[i]);
            }
        }
        return best;
    }

    /** What the mempool admits now. */
    public int current() {
        if (floor == max) {
            return max;
        }
        long adapted = (ratePerSecond() * budgetMs + 1000L * n - 1) / (1000L * n);
        return (int) Math.max(floor, Math.min(max, adapted));
    }

    public int max() {
        return max;
    }
}
