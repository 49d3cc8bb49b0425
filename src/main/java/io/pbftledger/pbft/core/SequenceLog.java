package io.pbftledger.pbft.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The message log between the watermarks: slots for sequences in (h, H] only, so its size is
 * bounded by the window. Moving h to a stable checkpoint discards everything at or below it.
 * H is h + window, but never below the highest sequence the replica's journal holds a message for
 * at start: a replica restarted with a smaller window keeps every slot it voted in until h passes
 * them, so it cannot vote differently there later.
 */
final class SequenceLog {
    private final long window;
    private final long restoredHigh;
    private final TreeMap<Long, Slot> slots = new TreeMap<>();
    private long low;

    SequenceLog(long low, long window) {
        this(low, window, 0);
    }

    SequenceLog(long low, long window, long restoredHigh) {
        Invariants.check(low >= 0 && window > 0 && restoredHigh >= 0, "bad watermarks");
        this.low = low;
        this.window = window;
        this.restoredHigh = restoredHigh;
    }

    long low() {
        return low;
    }

    long high() {
        return Math.max(low + window, restoredHigh);
    }

    boolean inWindow(long sequence) {
        return sequence > low && sequence <= high();
    }

    Slot get(long sequence) {
        return slots.get(sequence);
    }

    Slot getOrCreate(long sequence, long view) {
        Invariants.check(inWindow(sequence), "sequence " + sequence + " outside (" + low + ", " + high() + "]");
        return slots.computeIfAbsent(sequence, s -> new Slot(s, view));
    }

    Collection<Slot> slots() {
        return slots.values();
    }

    /** Moves h up to {@code newLow} and returns the discarded slots. */
    List<Slot> advanceLow(long newLow) {
        Invariants.check(newLow >= low, "low watermark must not go back");
        NavigableMap<Long, Slot> gone = slots.headMap(newLow, true);
        List<Slot> removed = new ArrayList<>(gone.values());
        gone.clear();
        low = newLow;
        return removed;
    }

    /** The highest slot holding a pre-prepare, or null. */
    Slot lastWithPrePrepare() {
        for (Slot slot : slots.descendingMap().values()) {
            if (slot.prePrepare() != null) {
                return slot;
            }
        }
        return null;
    }

    /**
     * The highest sequence above {@code delivered} whose commit quorum this replica has held for at
     * least {@code waitedMs} without delivering it, or -1: 2f+1 replicas moved past it and what this
     * replica needs to execute it (the pre-prepare, or its own prepared certificate) did not come.
     */
    long stalledCommitQuorumAbove(long delivered, long nowMs, long waitedMs) {
        for (Slot slot : slots.descendingMap().values()) {
            if (slot.sequence() <= delivered) {
                return -1;
            }
            long since = slot.commitQuorumSinceMs();
            if (since >= 0 && nowMs - since >= waitedMs) {
                return slot.sequence();
            }
        }
        return -1;
    }

    /** Removes every slot (their view is over) and returns them. */
    List<Slot> clear() {
        List<Slot> removed = new ArrayList<>(slots.values());
        slots.clear();
        return removed;
    }

    int size() {
        return slots.size();
    }

    int retainedMessages() {
        int total = 0;
        for (Slot slot : slots.values()) {
            total += slot.retainedMessages();
        }
        return total;
    }
}
