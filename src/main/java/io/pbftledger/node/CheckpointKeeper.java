package io.pbftledger.node;

import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.ViewChange;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The driver's checkpoint bookkeeping: computes the state digest the core signs at each executed
 * sequence, remembers the block height at checkpoint sequences, stores a stable checkpoint once
 * this replica has executed up to it, and then compacts the consensus journal below it.
 * Used by the consensus thread only.
 */
public final class CheckpointKeeper {
    /** Stable checkpoints waiting for local execution; more than this means state transfer is due. */
    private static final int DEFERRED_MAX = 16;

    private final CheckpointStore store;
    private final ConsensusJournal journal;
    private final Supplier<Digest> clientsDigest;
    private final long interval;
    private final Map<Long, Long> heightAtCheckpoint = new TreeMap<>();
    private final Deque<StableCheckpoint> deferred = new ArrayDeque<>();
    private long lastExecutedSequence;
    private long lastStoredSequence;

    public CheckpointKeeper(CheckpointStore store, ConsensusJournal journal, Supplier<Digest> clientsDigest,
                            long interval, long lastExecutedSequence) {
        this.store = store;
        this.journal = journal;
        this.clientsDigest = clientsDigest;
        this.interval = interval;
        this.lastExecutedSequence = lastExecutedSequence;
        this.lastStoredSequence = store.latest().map(StoredCheckpoint::sequence).orElse(0L);
    }

    /** The digest to report for {@code sequence}, executed with {@code lastBlock} as the newest block. */
    public Digest executed(long sequence, Digest lastBlockHash, long height) {
        lastExecutedSequence = sequence;
        if (sequence % interval == 0) {
            heightAtCheckpoint.put(sequence, height);
        }
        storeDeferred();
        return CheckpointDigest.of(sequence, lastBlockHash, clientsDigest.get());
    }

    /** At start: {@code sequence}, a checkpoint executed before the restart, covers the block at {@code height}. */
    public void executedBefore(long sequence, long height) {
        if (sequence % interval == 0 && sequence <= lastExecutedSequence) {
            heightAtCheckpoint.put(sequence, height);
        }
    }

    /** A checkpoint became stable: store it now if executed here, else when execution reaches it. */
    public void stable(StableCheckpoint checkpoint) {
        if (checkpoint.sequence() <= lastStoredSequence) {
            return;
        }
        if (deferred.size() >= DEFERRED_MAX) {
            deferred.removeFirst();
        }
        deferred.addLast(checkpoint);
        storeDeferred();
    }

    /** State transfer brought this replica to {@code cp}, whose last block is at {@code height}. */
    public void installed(StoredCheckpoint cp, long height) {
        lastExecutedSequence = Math.max(lastExecutedSequence, cp.sequence());
        if (cp.sequence() <= lastStoredSequence) {
            return;
        }
        store.save(new StoredCheckpoint(cp.sequence(), cp.stateDigest(), height, Instant.now(), cp.proof()));
        lastStoredSequence = cp.sequence();
        heightAtCheckpoint.keySet().removeIf(seq -> seq <= cp.sequence());
        deferred.removeIf(d -> d.sequence() <= cp.sequence());
        compactBelow(cp.sequence());
    }

    private void storeDeferred() {
        Iterator<StableCheckpoint> it = deferred.iterator();
        while (it.hasNext()) {
            StableCheckpoint cp = it.next();
            Long height = heightAtCheckpoint.get(cp.sequence());
            if (cp.sequence() > lastExecutedSequence || height == null) {
                continue;
            }
            it.remove();
            if (cp.sequence() <= lastStoredSequence) {
                continue;
            }
            store.save(new StoredCheckpoint(cp.sequence(), cp.stateDigest(), height, Instant.now(), cp.proof()));
            lastStoredSequence = cp.sequence();
            heightAtCheckpoint.keySet().removeIf(seq -> seq < cp.sequence());
            compactBelow(cp.sequence());
        }
    }

    /**
     * Compacts the journal below a stable checkpoint: ordering messages at or below it are never
     * needed again, and of the view changes only this replica's newest VIEW-CHANGE and NEW-VIEW
     * matter (they fix the view it restarts in and what it promised there).
     */
    private void compactBelow(long stable) {
        long newestViewChange = -1;
        long newestNewView = -1;
        for (Signed<? extends PbftMessage> m : journal.load()) {
            if (m.message() instanceof ViewChange vc) {
                newestViewChange = Math.max(newestViewChange, vc.newView());
            } else if (m.message() instanceof NewView nv) {
                newestNewView = Math.max(newestNewView, nv.view());
            }
        }
        long keepViewChange = newestViewChange;
        long keepNewView = newestNewView;
        journal.compact(m -> {
            if (m.message() instanceof OrderingMessage ordering) {
                return ordering.sequence() > stable;
            }
            if (m.message() instanceof ViewChange vc) {
                return vc.newView() == keepViewChange;
            }
            if (m.message() instanceof NewView nv) {
                return nv.view() == keepNewView;
            }
            return true;
        });
    }

    public long lastStoredSequence() {
        return lastStoredSequence;
    }
}
