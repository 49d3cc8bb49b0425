package io.pbftledger.pbft.core;

/**
 * How long a replica waits without progress before it sends its consensus messages again: twice the
 * fastest time from pre-prepare to committing here among the last {@value #WINDOW} slots, and at
 * least the configured interval.
 *
 * <p>A fixed interval is wrong under load. When the replicas are busy (a CPU-bound cluster checking
 * signatures) a block takes longer than the configured interval, the timer fires between every two
 * blocks although nothing was lost, and every peer checks the re-sent messages again, which slows
 * the next block further. Measured from the slots themselves, the timeout grows with the load, so a
 * loss-free cluster does not retransmit, and shrinks back to the configured floor when the load goes.
 *
 * <p>The minimum, not a mean (TCP's smoothed time plus deviations): on a lossy network the slots
 * that waited for somebody's retransmission take longer, and a mean would let them raise the timeout,
 * which slows the recovery of the next loss (a feedback loop the simulator found). Among
 * {@value #WINDOW} slots some go through without a loss; their time is what the network and the load
 * cost. Karn's rule: a slot whose messages this replica sent again gives no sample at all.
 *
 * <p>The timeout stays at most half the view-change timeout (unless the configured interval is
 * larger), so a lost message goes again before the request timer of a backup expires. Integer
 * arithmetic only: the core is deterministic.
 */
final class RetransmitTimeout {
    static final int WINDOW = 16;
    private final long floorMs;
    private final long ceilingMs;
    private final long[] samples = new long[WINDOW];
    private int count;
    private int next;

    RetransmitTimeout(long floorMs, long viewChangeTimeoutMs) {
        Invariants.check(floorMs > 0, "the retransmit interval must be positive");
        this.floorMs = floorMs;
        this.ceilingMs = Math.max(floorMs, viewChangeTimeoutMs / 2);
    }

    /** A slot took {@code elapsedMs} from its pre-prepare to committing here, with no retransmission. */
    void sample(long elapsedMs) {
        samples[next] = Math.max(0, elapsedMs);
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
    }

    /** The current timeout: the configured interval until slots say that they take longer. */
    long currentMs() {
        if (count == 0) {
            return floorMs;
        }
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            fastest = Math.min(fastest, samples[i]);
        }
        return Math.min(ceilingMs, Math.max(floorMs, 2 * fastest));
    }
}
