package io.pbftledger.sim;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Safety, checked outside the replicas on every execution: no two replicas execute different
 * batches at one sequence, each replica executes a contiguous prefix of that one history, and no
 * replica executes a request twice.
 */
final class SafetyChecker {
    private final TreeMap<Long, Digest> history = new TreeMap<>();
    private final Map<Integer, Long> lastSequence = new HashMap<>();
    private final Map<Integer, Map<String, BitSet>> executedByReplica = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    /** The block hash the first replica to store each height stored there. */
    private final TreeMap<Long, Digest> blockHashes = new TreeMap<>();

    void onExecute(int replica, CommittedBatch batch) {
        onExecute(replica, batch, batch.requests());
    }

    /** {@code executedRequests}: the batch's requests the executor did not skip as already executed. */
    void onExecute(int replica, CommittedBatch batch, List<ClientRequest> executedRequests) {
        long last = lastSequence.getOrDefault(replica, 0L);
        if (batch.sequence() != last + 1) {
            violations.add("replica " + replica + " executed sequence " + batch.sequence() + " after " + last);
        }
        lastSequence.put(replica, batch.sequence());
        Digest agreed = history.putIfAbsent(batch.sequence(), batch.batchDigest());
        if (agreed != null && !agreed.equals(batch.batchDigest())) {
            violations.add("replica " + replica + " executed " + batch.batchDigest() + " at sequence "
                    + batch.sequence() + " where another executed " + agreed);
        }
        Map<String, BitSet> executed = executedByReplica.computeIfAbsent(replica, r -> new HashMap<>());
        for (ClientRequest r : executedRequests) {
            BitSet nonces = executed.computeIfAbsent(r.clientId(), c -> new BitSet());
            if (nonces.get((int) r.nonce())) {
                violations.add("replica " + replica + " executed " + r.clientId() + "#" + r.nonce() + " twice");
            }
            nonces.set((int) r.nonce());
        }
    }

    /**
     * Every replica's stored block at {@code height} must have the hash the first one stored there:
     * equal batch digests at each sequence are not enough when what execution makes of a batch (the
     * bodies it executes, which requests it skips) could differ between replicas.
     */
    void onBlock(int replica, long height, Digest hash) {
        Digest agreed = blockHashes.putIfAbsent(height, hash);
        if (agreed != null && !agreed.equals(hash)) {
            violations.add("replica " + replica + " stored block " + hash + " at height " + height
                    + " where another stored " + agreed);
        }
    }

    /** A restarted replica resumes after {@code sequence}; what it executes again must match the history. */
    void restarted(int replica, long sequence) {
        lastSequence.put(replica, sequence);
    }

    boolean executed(int replica, String clientId, long nonce) {
        Map<String, BitSet> executed = executedByReplica.get(replica);
        BitSet nonces = executed == null ? null : executed.get(clientId);
        return nonces != null && nonces.get((int) nonce);
    }

    List<String> violations() {
        return violations;
    }

    int historyLength() {
        return history.size();
    }

    /** Forgets agreed digests far behind every replica, so long runs stay small. */
    void forgetBelow(long sequence) {
        history.headMap(sequence).clear();
        if (blockHashes.size() > 100_000) {
            blockHashes.pollFirstEntry();
        }
    }
}
