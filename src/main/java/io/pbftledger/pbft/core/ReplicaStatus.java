package io.pbftledger.pbft.core;

import java.util.List;

/**
 * A snapshot of a replica for monitoring and the REST API.
 *
 * @param viewChangeTarget the view being changed to during VIEW_CHANGE, else the current view
 * @param missingForQuorum the replicas whose messages this replica still waits for: their
 *     VIEW-CHANGEs for the target view during VIEW_CHANGE, otherwise their prepares or commits for the
 *     lowest sequence not yet delivered (empty when nothing is pending); sorted
 * @param retransmitTimeoutMs how long this replica now waits without progress before it sends its
 *     messages again ({@code ledger.retransmit-interval-ms} at least; it grows when blocks take longer)
 */
public record ReplicaStatus(int replicaId, int n, int f, long view, int primary, Status status,
        long lastExecutedSequence, long lowWatermark, long highWatermark, int pendingRequests,
        long stableCheckpoint, long viewChangeTarget, List<Integer> missingForQuorum, long retransmitTimeoutMs) {

    public ReplicaStatus {
        missingForQuorum = List.copyOf(missingForQuorum);
    }

    public ReplicaStatus(int replicaId, int n, int f, long view, int primary, Status status,
            long lastExecutedSequence, long lowWatermark, long highWatermark, int pendingRequests,
            long stableCheckpoint) {
        this(replicaId, n, f, view, primary, status, lastExecutedSequence, lowWatermark, highWatermark,
                pendingRequests, stableCheckpoint, view, List.of(), 0);
    }

    public enum Status {
        NORMAL,
        VIEW_CHANGE,
        /** Behind a stable checkpoint: needs committed batches from peers ({@link Replica#deliverCertified}). */
        STATE_TRANSFER,
        /**
         * Not in the replica set in force: a change removed it, or it was added by a change that has
         * not taken effect where it stands. It orders nothing and counts for nothing.
         */
        NOT_A_MEMBER
    }
}
