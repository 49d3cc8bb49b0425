package io.pbftledger.pbft.core;

/**
 * The replica set in force and the change waiting to take effect (docs/design.md, "Replica sets").
 *
 * <p>Every sequence belongs to exactly one epoch, a replica set with the sequences it orders. A change
 * the driver executed at sequence s ends the current epoch at the first checkpoint sequence c ≥ s
 * ({@link #boundary()}); the next set orders from c+1, once the checkpoint at c is stable.
 *
 * <p>The gate ({@link #voteLimit}): a replica takes part in ordering sequence q only once it has
 * executed every sequence up to the checkpoint below q, ⌊(q−1)/K⌋·K. A change executed at s ≤ c is
 * therefore known to every correct replica before it votes for anything above c, so no certificate
 * above c can form in the old epoch. While a change is pending nobody votes above its boundary.
 */
final class Epochs {
    private final long interval;
    private ReplicaSet current;
    private long number;
    private long boundary = Long.MAX_VALUE;
    private ReplicaSet next;

    Epochs(ReplicaSet genesis, long checkpointInterval) {
        Invariants.check(checkpointInterval > 0, "the checkpoint interval must be positive");
        this.current = genesis;
        this.interval = checkpointInterval;
    }

    ReplicaSet current() {
        return current;
    }

    /** 0 for the genesis set, one more for each change that took effect. */
    long number() {
        return number;
    }

    /** The last sequence of the current epoch when a change is pending, else Long.MAX_VALUE. */
    long boundary() {
        return boundary;
    }

    /** The set that takes over after {@link #boundary()}, or null. */
    ReplicaSet next() {
        return next;
    }

    /** The change executed at {@code sequence}: the current epoch ends at the first checkpoint at or above it. */
    void schedule(long sequence, ReplicaSet replicas) {
        Invariants.check(next == null, "a replica-set change is already pending (at " + boundary + ")");
        Invariants.check(sequence > 0, "a change is executed at a positive sequence");
        this.boundary = ((sequence + interval - 1) / interval) * interval;
        this.next = replicas;
    }

    /** The highest sequence this replica may vote for, having executed up to {@code lastExecuted}. */
    long voteLimit(long lastExecuted) {
        long gate = (lastExecuted / interval) * interval + interval;
        return Math.min(gate, boundary);
    }

    /**
     * The checkpoint at {@code stableSequence} is stable: when it is the pending boundary (or above,
     * after state transfer), the next set takes over. True when it did.
     */
    boolean advance(long stableSequence) {
        if (next == null || stableSequence < boundary) {
            return false;
        }
        current = next;
        number++;
        next = null;
        boundary = Long.MAX_VALUE;
        return true;
    }
}
