package io.pbftledger.pbft.core;

import java.util.ArrayList;
import java.util.List;

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
 *
 * <p>Views are numbered per epoch: epoch e's views are e·{@link #VIEWS_PER_EPOCH} + 0, 1, 2, ...,
 * so a view number names its epoch and view numbers never go down. The primary of view v is the
 * ((v mod VIEWS_PER_EPOCH) mod n)-th member of its epoch's set. A replica enters the first view of the
 * next epoch, without a NEW-VIEW, when the boundary checkpoint is stable; messages of another epoch
 * count for nothing in this one (a view change of the old epoch can only concern sequences up to the
 * boundary, which the stable checkpoint already settles).
 */
final class Epochs {
    /** The views of one epoch: epoch e's first view is e times this. */
    static final long VIEWS_PER_EPOCH = 1_000_000_000L;

    private final long interval;
    private ReplicaSet current;
    private long number;
    /** The first sequence the current set orders. */
    private long firstSequence = 1;
    /** The set before the current one (it signed the checkpoint at firstSequence - 1), or null. */
    private ReplicaSet previous;
    /**
     * Changes executed whose boundary this replica's stable checkpoint has not reached, in order. More
     * than one only at a replica that is behind: it executes (or fetches, certified) the next epochs'
     * batches before a checkpoint of theirs becomes stable here.
     */
    private final List<Scheduled> scheduled = new ArrayList<>();

    private record Scheduled(long boundary, ReplicaSet set) {
    }

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

    /** The epoch whose view {@code view} is. */
    static long epochOfView(long view) {
        return view / VIEWS_PER_EPOCH;
    }

    /** The first view of the current epoch. */
    long firstView() {
        return number * VIEWS_PER_EPOCH;
    }

    /** The first sequence the current set orders (1 for the genesis set). */
    long firstSequence() {
        return firstSequence;
    }

    /**
     * The set that judges messages of {@code view}: the current one, the one before it (for
     * certificates of the sequences it ordered), or a scheduled one (for the certified batches of a
     * replica that is behind); null for any other epoch.
     */
    ReplicaSet setOfView(long view) {
        long epoch = epochOfView(view);
        if (epoch == number) {
            return current;
        }
        if (epoch == number - 1) {
            return previous;
        }
        long ahead = epoch - number;
        return ahead > 0 && ahead <= scheduled.size() ? scheduled.get((int) ahead - 1).set() : null;
    }

    /** The primary of {@code view} in its epoch's set, or -1 when that set is not known here. */
    int primaryOf(long view) {
        ReplicaSet set = setOfView(view);
        return set == null ? -1 : set.primaryOf(view % VIEWS_PER_EPOCH);
    }

    /**
     * The set that ordered {@code sequence}: the current one from {@link #firstSequence()} up to the
     * first scheduled boundary, a scheduled one above its predecessor's boundary, the previous one for
     * the sequences of its epoch that this replica still judges (the boundary checkpoint's proof), null
     * when unknown.
     */
    ReplicaSet setOrdering(long sequence) {
        if (sequence < firstSequence) {
            return previous;
        }
        ReplicaSet set = current;
        for (Scheduled s : scheduled) {
            if (sequence <= s.boundary()) {
                break;
            }
            set = s.set();
        }
        return set;
    }

    /** The last sequence of the current epoch when a change is pending, else Long.MAX_VALUE. */
    long boundary() {
        return scheduled.isEmpty() ? Long.MAX_VALUE : scheduled.get(0).boundary();
    }

    /**
     * The changes executed before a restart, in order: those whose boundary {@code stableSequence}
     * reached take effect again, the others stay scheduled.
     */
    void restore(List<RecoveredState.ReplicaSetChange> changes, long stableSequence) {
        for (RecoveredState.ReplicaSetChange change : changes) {
            schedule(change.sequence(), change.next());
        }
        advance(stableSequence);
    }

    /** The change executed at {@code sequence}: its epoch ends at the first checkpoint at or above it. */
    void schedule(long sequence, ReplicaSet replicas) {
        long after = scheduled.isEmpty() ? firstSequence - 1 : scheduled.get(scheduled.size() - 1).boundary();
        Invariants.check(sequence > after, "a change at " + sequence + " before the epoch it changes began (after " + after + ")");
        scheduled.add(new Scheduled(((sequence + interval - 1) / interval) * interval, replicas));
    }

    /**
     * The last sequence an empty batch (a null request) may fill in the normal case: the boundary of
     * the pending change, else -1. A change takes effect only once ordering reaches its boundary; an
     * idle cluster would leave it pending, so the primary fills the sequences up to it with empty
     * batches, and backups accept an empty batch only there, once they executed everything below it
     * (so that every correct replica judges it with the same change known).
     */
    long fillLimit() {
        return scheduled.isEmpty() ? -1 : scheduled.get(0).boundary();
    }

    /** The highest sequence this replica may vote for, having executed up to {@code lastExecuted}. */
    long voteLimit(long lastExecuted) {
        long gate = (lastExecuted / interval) * interval + interval;
        return Math.min(gate, boundary());
    }

    /**
     * The checkpoint at {@code stableSequence} is stable: every scheduled set whose boundary it reached
     * takes over, the last of them in force. True when the set changed.
     */
    boolean advance(long stableSequence) {
        boolean changed = false;
        while (!scheduled.isEmpty() && stableSequence >= scheduled.get(0).boundary()) {
            Scheduled s = scheduled.remove(0);
            previous = current;
            current = s.set();
            number++;
            firstSequence = s.boundary() + 1;
            changed = true;
        }
        return changed;
    }
}
