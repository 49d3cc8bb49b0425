package io.pbftledger.pbft.core;

/** A snapshot of a replica for monitoring and the REST API. */
public record ReplicaStatus(int replicaId, int n, int f, long view, int primary, Status status,
        long lastExecutedSequence, long lowWatermark, long highWatermark, int pendingRequests,
        long stableCheckpoint) {

    public enum Status {
        NORMAL,
        VIEW_CHANGE,
        /** Behind a stable checkpoint: needs committed batches from peers ({@link Replica#deliverCertified}). */
        STATE_TRANSFER
    }
}
