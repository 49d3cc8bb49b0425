package io.pbftledger.sim;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.core.RecoveredState;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaConfig;
import io.pbftledger.pbft.message.Digest;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One simulated node: a real {@link Replica}, a fake executor whose state digest chains the
 * executed batch digests, and a bounded store of executed batches that peers can fetch to catch up.
 */
final class SimNode {
    private static final int STORED_BATCHES = 1_000;
    final int id;
    final Replica replica;
    private final SafetyChecker safety;
    private final TreeMap<Long, CommittedBatch> store = new TreeMap<>();
    private Digest state = Digest.ZERO;
    long executedSequence;
    long executedRequests;
    long persisted;
    long behindSinceMs = -1;
    boolean fetching;
    int maxRetainedLog;

    SimNode(int id, ReplicaConfig config, SafetyChecker safety) {
        this.id = id;
        this.safety = safety;
        this.replica = new Replica(config.withReplicaId(id), FakeCrypto.signer(id), FakeCrypto.verifier(),
                (clientId, nonce) -> safety.executed(id, clientId, nonce), RecoveredState.fresh());
    }

    /** The driver loop: persist, send, execute in order, advance. */
    void pump(Consumer<Outbound> network) {
        while (replica.hasReady()) {
            Ready ready = replica.ready();
            persisted += ready.persist().size();
            ready.messages().forEach(network);
            for (CommittedBatch batch : ready.committed()) {
                execute(batch);
            }
            replica.advance(ready);
        }
        maxRetainedLog = Math.max(maxRetainedLog, replica.retainedLogSize());
    }

    private void execute(CommittedBatch batch) {
        safety.onExecute(id, batch);
        state = Digest.sha256(state.bytes(), batch.batchDigest().bytes());
        executedSequence = batch.sequence();
        executedRequests += batch.requests().size();
        store.put(batch.sequence(), batch);
        if (store.size() > STORED_BATCHES) {
            store.pollFirstEntry();
        }
        replica.executed(batch.sequence(), state);
    }

    CommittedBatch stored(long sequence) {
        return store.get(sequence);
    }

    String describe() {
        return replica.status() + " executedRequests=" + executedRequests + " catchUpTarget="
                + replica.catchUpTarget() + " retained=" + replica.retainedLogSize() + " drops=" + replica.dropCounts() + " " + replica.diagnostics();
    }
}
