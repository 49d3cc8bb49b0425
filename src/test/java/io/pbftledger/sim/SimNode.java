package io.pbftledger.sim;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.core.RecoveredState;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaConfig;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One simulated node: a real {@link Replica} and what a driver keeps durable for it: the consensus
 * journal (what {@link Ready#persist()} listed, "forced" once per Ready), the last stable checkpoint,
 * executed batches (a fake executor whose state digest chains the batch digests) that peers can fetch
 * to catch up. A crash discards the replica; a restart builds a new one from the durable part only.
 */
final class SimNode {
    private static final int STORED_BATCHES = 1_000;
    final int id;
    private final ReplicaConfig config;
    private final SafetyChecker safety;
    private final CheckpointBound checkpointBound;
    private final TreeMap<Long, CommittedBatch> store = new TreeMap<>();
    private final List<Signed<? extends PbftMessage>> journal = new ArrayList<>();
    private StableCheckpoint stable;
    private final List<StableCheckpoint> deferredStable = new ArrayList<>();
    /** State digests at checkpoint sequences, as a real store can recompute them from its blocks. */
    private final TreeMap<Long, Digest> checkpointStates = new TreeMap<>();
    private Digest state = Digest.ZERO;
    Replica replica;
    long executedSequence;
    long executedTimestamp;
    /** Sequence and timestamp of the last batch that made a block: all a real store remembers. */
    private long lastBlockSequence;
    private long lastBlockTimestamp;
    /** Height and hash of the last block: durable, as a real block store is. */
    private long blockHeight;
    private Digest lastBlockHash = Digest.ZERO;
    long executedRequests;
    long blocks;
    long duplicatesSkipped;
    long persisted;
    long behindSinceMs = -1;
    boolean fetching;
    /** Catch-up fetches since this node last was not behind. */
    int fetchAttempts;
    boolean crashed;
    int restarts;
    int maxRetainedLog;
    /** Set by the simulation: the next Ready is interrupted by a crash. */
    SimConfig.Crash crashInNextReady;

    SimNode(int id, ReplicaConfig config, SafetyChecker safety, CheckpointBound checkpointBound) {
        this.id = id;
        this.config = config.withReplicaId(id);
        this.safety = safety;
        this.checkpointBound = checkpointBound;
        this.replica = newReplica(RecoveredState.fresh());
    }

    private Replica newReplica(RecoveredState recovered) {
        return new Replica(config, FakeCrypto.DOMAIN, FakeCrypto.signer(id), FakeCrypto.verifier(),
                (clientId, nonce) -> safety.executed(id, clientId, nonce), recovered);
    }

    /** The driver loop: persist, send, execute in order, advance. */
    void pump(Consumer<Outbound> network, Random rnd) {
        while (!crashed && replica.hasReady()) {
            Ready ready = replica.ready();
            if (crashInNextReady != null && crashInNextReady.lostBeforeSync()) {
                crash(); // the journal write of this Ready never reached the disk: nothing was sent
                return;
            }
            journal.addAll(ready.persist());
            persisted += ready.persist().size();
            ready.messages().forEach(network);
            int executeBeforeCrash = crashInNextReady == null ? Integer.MAX_VALUE
                    : rnd.nextInt(ready.committed().size() + 1);
            for (CommittedBatch batch : ready.committed()) {
                if (executeBeforeCrash-- == 0) {
                    crash();
                    return;
                }
                execute(batch);
            }
            if (crashInNextReady != null) {
                crash();
                return;
            }
            for (StableCheckpoint checkpoint : ready.stableCheckpoints()) {
                deferredStable.add(checkpoint);
            }
            storeExecutedStable();
            replica.advance(ready);
        }
        if (!crashed) {
            maxRetainedLog = Math.max(maxRetainedLog, replica.retainedLogSize());
            checkpointBound.observe(id, replica.retainedCheckpointSequences());
        }
    }

    /**
     * What a driver does with a committed batch: requests whose (clientId, nonce) an earlier block
     * already executed are skipped (a NEW-VIEW may re-propose them); a batch with nothing left, like a
     * null request, makes no block but still counts as executed for checkpoints.
     */
    private void execute(CommittedBatch batch) {
        List<ClientRequest> fresh = new ArrayList<>(batch.requests().size());
        for (ClientRequest r : batch.requests()) {
            if (safety.executed(id, r.clientId(), r.nonce())) {
                duplicatesSkipped++;
            } else {
                fresh.add(r);
            }
        }
        safety.onExecute(id, batch, fresh);
        if (!fresh.isEmpty()) {
            blocks++;
            lastBlockSequence = batch.sequence();
            lastBlockTimestamp = batch.timestamp();
            state = Digest.sha256(state.bytes(), batch.batchDigest().bytes());
            blockHeight++;
            lastBlockHash = SimBlocks.hash(lastBlockHash, blockHeight, batch, fresh, state);
            safety.onBlock(id, blockHeight, lastBlockHash);
        }
        executedSequence = batch.sequence();
        executedTimestamp = Math.max(executedTimestamp, batch.timestamp());
        executedRequests += fresh.size();
        if (batch.sequence() % config.checkpointInterval() == 0) {
            checkpointStates.put(batch.sequence(), state);
            if (checkpointStates.size() > 64) {
                checkpointStates.pollFirstEntry();
            }
        }
        store.put(batch.sequence(), batch);
        if (store.size() > STORED_BATCHES) {
            store.pollFirstEntry();
        }
        replica.executed(batch.sequence(), state);
    }

    /** As CheckpointKeeper: a stable checkpoint is stored (and the journal pruned) once executed here. */
    private void storeExecutedStable() {
        deferredStable.removeIf(cp -> {
            if (cp.sequence() > executedSequence) {
                return false;
            }
            stableCheckpoint(cp);
            return true;
        });
    }

    /** Keeps the proof and prunes the journal to what a restart needs: messages above the checkpoint. */
    private void stableCheckpoint(StableCheckpoint checkpoint) {
        if (stable != null && stable.sequence() >= checkpoint.sequence()) {
            return;
        }
        stable = checkpoint;
        Signed<? extends PbftMessage> lastViewChange = null;
        Signed<? extends PbftMessage> lastNewView = null;
        List<Signed<? extends PbftMessage>> kept = new ArrayList<>();
        for (Signed<? extends PbftMessage> s : journal) {
            PbftMessage m = s.message();
            if (m instanceof ViewChange) {
                lastViewChange = s;
            } else if (m instanceof NewView) {
                lastNewView = s;
            } else if (!(m instanceof OrderingMessage o) || o.sequence() > checkpoint.sequence()) {
                kept.add(s);
            }
        }
        journal.clear();
        if (lastViewChange != null) {
            journal.add(lastViewChange);
        }
        if (lastNewView != null) {
            journal.add(lastNewView);
        }
        journal.addAll(kept);
    }

    void crash() {
        crashed = true;
        deferredStable.clear();
        crashInNextReady = null;
        fetching = false;
        behindSinceMs = -1;
        fetchAttempts = 0;
    }

    /**
     * Restarts as the real node does (NodeConfiguration): executed up to the last block or the stable
     * checkpoint, whichever is higher (null requests after the last block leave no trace and are
     * executed again), with the last block's timestamp.
     */
    void restart() {
        restarts++;
        crashed = false;
        executedSequence = Math.max(lastBlockSequence, stable == null ? 0 : stable.sequence());
        executedTimestamp = lastBlockTimestamp;
        safety.restarted(id, executedSequence);
        java.util.Map.Entry<Long, Digest> cp = checkpointStates.floorEntry(executedSequence);
        replica = newReplica(new RecoveredState(0, executedSequence, executedTimestamp, stable, journal,
                cp == null ? null : new RecoveredState.ExecutedCheckpoint(cp.getKey(), cp.getValue())));
    }

    CommittedBatch stored(long sequence) {
        return crashed ? null : store.get(sequence);
    }

    int journalSize() {
        return journal.size();
    }

    String describe() {
        if (crashed) {
            return "replica " + id + " crashed, executedSequence=" + executedSequence;
        }
        return replica.status() + " executedRequests=" + executedRequests + " blocks=" + blocks + " catchUpTarget="
                + replica.catchUpTarget() + " retained=" + replica.retainedLogSize() + " journal=" + journal.size()
                + " restarts=" + restarts + " drops=" + replica.dropCounts() + " " + replica.diagnostics();
    }
}
