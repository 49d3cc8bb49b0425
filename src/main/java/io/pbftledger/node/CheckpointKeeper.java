package io.pbftledger.node;

import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.pbft.message.Digest;
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
 * this replica has executed up to it, and then asks for the consensus journal to be compacted below
 * it (the journal stage does it, see {@link JournalCompaction}). Used by the execution stage only.
 */
public final class CheckpointKeeper {
    /** Stable checkpoints waiting for local execution; more than this means state transfer is due. */
    private static final int DEFERRED_MAX = 16;

    private final CheckpointStore store;
    private final JournalCompaction compaction;
    private final Supplier<Digest> clientsDigest;
    private final long interval;
    private final Map<Long, Long> heightAtCheckpoint = new TreeMap<>();
    private final Deque<StableCheckpoint> deferred = new ArrayDeque<>();
    private long lastExecutedSequence;
    private long lastStoredSequence;

    public CheckpointKeeper(CheckpointStore store, JournalCompaction compaction, Supplier<Digest> clientsDigest,
                            long interval, long lastExecutedSequence) {
        this.store = store;
        this.compaction = compaction;
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
        compaction.request(cp.sequence());
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
            compaction.request(cp.sequence());
        }
    }

    /** Where this keeper asks for the journal to be compacted. */
    public JournalCompaction compaction() {
        return compaction;
    }

    public long lastStoredSequence() {
        return lastStoredSequence;
    }
}
