package io.pbftledger.sim;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.core.RecoveredState;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaConfig;
import io.pbftledger.pbft.core.ReplicaSet;
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
 * One simulated node: a real {@link Replica}, the staged driver around it ({@link SimPipeline}) and
 * what that driver keeps durable: the consensus journal (what {@link Ready#persist()} listed, once
 * its group's fdatasync completed), the last stable checkpoint, executed batches (a fake executor
 * whose state digest chains the batch digests) that peers can fetch to catch up. A crash discards the
 * replica and everything the stages held; a restart builds a new one from the durable part only.
 */
final class SimNode implements SimPipeline.Node {
    private static final int STORED_BATCHES = 1_000;
    final int id;
    private final ReplicaConfig config;
    private final SafetyChecker safety;
    private final CheckpointBound checkpointBound;
    private final Consumer<Outbound> network;
    private final SimPipeline pipeline;
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

    /**
     * @param network where the journal stage sends what the core addressed to peers
     * @param pipelineRnd draws the stages' latencies (the run's own generator for them)
     */
    SimNode(int id, ReplicaConfig config, SafetyChecker safety, CheckpointBound checkpointBound,
            Consumer<Outbound> network, EventQueue events, Random pipelineRnd, SimConfig.Disk disk,
            PipelineStats stats) {
        this.id = id;
        this.config = config.withReplicaId(id);
        this.safety = safety;
        this.checkpointBound = checkpointBound;
        this.network = network;
        this.pipeline = new SimPipeline(events, pipelineRnd, disk, stats, this);
        this.replica = newReplica(RecoveredState.fresh());
    }

    private Replica newReplica(RecoveredState recovered) {
        return new Replica(config, FakeCrypto.DOMAIN, FakeCrypto.signer(id), FakeCrypto.verifier(),
                (clientId, nonce) -> safety.executed(id, clientId, nonce), recovered);
    }

    /** The consensus thread's loop: each Ready goes to the journal stage, and the core advances at once. */
    void pump() {
        while (!crashed && replica.hasReady()) {
            Ready ready = replica.ready();
            pipeline.hand(ready);
            replica.advance(ready);
        }
        if (!crashed) {
            maxRetainedLog = Math.max(maxRetainedLog, replica.retainedLogSize());
            checkpointBound.observe(id, replica.retainedCheckpointSequences());
        }
    }

    /** The next crash point {@code point} this node's stages reach crashes it. */
    void arm(SimConfig.CrashPoint point) {
        pipeline.arm(point);
    }

    /** Crashes at the crash's time, whatever the stages hold. */
    void crashAtTime() {
        pipeline.crashAtTime();
    }

    /** Crashes at the restart time, still up: its crash point never came, or an overlapping crash restarted it. */
    void crashAtRestart() {
        pipeline.crashAtRestart();
    }

    @Override
    public void journal(List<Signed<? extends PbftMessage>> records) {
        journal.addAll(records);
        persisted += records.size();
    }

    @Override
    public void send(Outbound out) {
        network.accept(out);
    }

    @Override
    public long executedSequence() {
        return executedSequence;
    }

    /**
     * What a driver does with a committed batch: requests whose (clientId, nonce) an earlier block
     * already executed are skipped (a NEW-VIEW may re-propose them); a batch with nothing left, like a
     * null request, makes no block but still counts as executed for checkpoints. The block is stored
     * (durable) before the core hears of it, as the execution stage reports only what it committed.
     */
    /**
     * The replica-set changes this node executed, with their sequences (durable with the blocks): the
     * driver's record, given back at a restart.
     */
    private final List<RecoveredState.ReplicaSetChange> changes = new ArrayList<>();

    /**
     * An admin request of the RECONFIG profile: the new member ids, or null when {@code r} is not one.
     * Applied only when it is well formed, keeps at least four replicas, and the previous change took
     * effect before this sequence (its boundary lies below it): every replica decides the same.
     */
    /** The replica set the changes this node executed lead to (the genesis set before any). */
    ReplicaSet lastSet() {
        return changes.isEmpty() ? config.members() : changes.get(changes.size() - 1).next();
    }

    private ReplicaSet change(ClientRequest r, long sequence) {
        if (!r.clientId().equals(Simulation.ADMIN)) {
            return null;
        }
        String text = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (!text.startsWith("set:")) {
            return null;
        }
        List<Integer> ids = new ArrayList<>();
        for (String part : text.substring(4).split(",")) {
            ids.add(Integer.parseInt(part));
        }
        if (ids.size() < 4) {
            return null;
        }
        if (!changes.isEmpty()) {
            long k = config.checkpointInterval();
            long previousBoundary = ((changes.get(changes.size() - 1).sequence() + k - 1) / k) * k;
            if (sequence <= previousBoundary) {
                return null;
            }
        }
        return new ReplicaSet(ids);
    }

    @Override
    public void execute(CommittedBatch batch) {
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
        storeExecutedStable();
        for (ClientRequest r : fresh) {
            ReplicaSet next = change(r, batch.sequence());
            if (next != null) {
                changes.add(new RecoveredState.ReplicaSetChange(batch.sequence(), next));
                replica.replicaSetChanged(batch.sequence(), next);
            }
        }
        replica.executed(batch.sequence(), state);
        pump(); // the consensus thread takes the result: a checkpoint vote, a proposal held back
    }

    @Override
    public void stable(List<StableCheckpoint> checkpoints) {
        deferredStable.addAll(checkpoints);
        storeExecutedStable();
    }

    /** As CheckpointKeeper: a stable checkpoint is stored once executed here, then the journal compacted. */
    private void storeExecutedStable() {
        deferredStable.removeIf(cp -> {
            if (cp.sequence() > executedSequence) {
                return false;
            }
            stableCheckpoint(cp);
            return true;
        });
    }

    /** Stores the proof (durable); the journal stage compacts below it later, as JournalCompaction. */
    private void stableCheckpoint(StableCheckpoint checkpoint) {
        if (stable != null && stable.sequence() >= checkpoint.sequence()) {
            return;
        }
        stable = checkpoint;
        pipeline.requestCompaction(checkpoint.sequence());
    }

    /**
     * As JournalCompaction: ordering messages at or below the checkpoint go, and of the view changes
     * only the newest VIEW-CHANGE and NEW-VIEW targets stay; the rest keeps its order.
     */
    @Override
    public void compactJournalBelow(long stableSequence) {
        long newestViewChange = -1;
        long newestNewView = -1;
        for (Signed<? extends PbftMessage> s : journal) {
            if (s.message() instanceof ViewChange vc) {
                newestViewChange = Math.max(newestViewChange, vc.newView());
            } else if (s.message() instanceof NewView nv) {
                newestNewView = Math.max(newestNewView, nv.view());
            }
        }
        long keepViewChange = newestViewChange;
        long keepNewView = newestNewView;
        journal.removeIf(s -> {
            PbftMessage m = s.message();
            if (m instanceof OrderingMessage ordering) {
                return ordering.sequence() <= stableSequence;
            }
            if (m instanceof ViewChange vc) {
                return vc.newView() != keepViewChange;
            }
            if (m instanceof NewView nv) {
                return nv.view() != keepNewView;
            }
            return false;
        });
    }

    /** Discards the core and everything the stages held (through the pipeline, which forgets what its stages held). */
    @Override
    public void crash() {
        crashed = true;
        pipeline.crash();
        deferredStable.clear();
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
        long executed = executedSequence;
        changes.removeIf(c -> c.sequence() > executed); // executed again after the restart
        replica = newReplica(new RecoveredState(0, executedSequence, executedTimestamp, stable, journal,
                cp == null ? null : new RecoveredState.ExecutedCheckpoint(cp.getKey(), cp.getValue()))
                .withReplicaSetChanges(changes));
    }

    CommittedBatch stored(long sequence) {
        return crashed ? null : store.get(sequence);
    }

    int journalSize() {
        return journal.size();
    }

    /** Executed changes that kept the members (REKEY's rotations). */
    private long sameSetChanges() {
        long same = 0;
        ReplicaSet before = config.members();
        for (RecoveredState.ReplicaSetChange c : changes) {
            same += c.next().equals(before) ? 1 : 0;
            before = c.next();
        }
        return same;
    }

    String describe() {
        if (crashed) {
            return "replica " + id + " crashed, executedSequence=" + executedSequence;
        }
        return replica.status() + " executedRequests=" + executedRequests + " blocks=" + blocks + " catchUpTarget="
                + replica.catchUpTarget() + " retained=" + replica.retainedLogSize() + " journal=" + journal.size()
                + " journalQueued=" + pipeline.journalQueued() + " executionWaiting=" + pipeline.batchesWaiting()
                + " restarts=" + restarts + " setChanges=" + changes.size() + " sameSetChanges=" + sameSetChanges()
                + " drops=" + replica.dropCounts() + " " + replica.diagnostics();
    }
}
