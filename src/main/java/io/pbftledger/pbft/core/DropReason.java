package io.pbftledger.pbft.core;

/** Why an input was ignored; counted per reason for metrics and tests. */
public enum DropReason {
    /** Message for a view below the current one. */
    OLD_VIEW,
    /** Message for a view above the current one (kept by the view-change issue). */
    FUTURE_VIEW,
    /** Pre-prepare, prepare or commit with a sequence outside (h, H]. */
    OUTSIDE_WINDOW,
    /** Pre-prepare not sent by the primary of its view. */
    WRONG_PRIMARY,
    /** The primary sends no PREPARE; its pre-prepare is its vote. */
    PREPARE_FROM_PRIMARY,
    /** A second pre-prepare for (v, n) with a different digest. */
    CONFLICTING_PRE_PREPARE,
    /** A replica voted twice for one slot or checkpoint with different digests. */
    CONFLICTING_VOTE,
    /** batchDigest does not match the timestamp and request ids. */
    BAD_BATCH_DIGEST,
    /** Empty batch, over the limits, or the same request twice inside it. */
    INVALID_BATCH,
    /** A request of the batch is already executed or in a pre-prepare at another sequence. */
    REQUEST_ALREADY_ORDERED,
    /** Timestamp before the previous batch's or too far ahead of this replica's clock. */
    TIMESTAMP_OUT_OF_RANGE,
    /** Checkpoint at or below the last stable checkpoint. */
    STALE_CHECKPOINT,
    /** A pre-prepare for a sequence already delivered from a peer's commit certificate. */
    ALREADY_DELIVERED,
    /**
     * A NEW-VIEW's O entry for a sequence this replica delivered with a different batch. With at most
     * f faulty replicas it cannot happen; if it does, this replica refuses to vote for it.
     */
    CONFLICTS_WITH_DELIVERED,
    /** Exactly the same vote or pre-prepare again (retransmission, network duplicate). */
    DUPLICATE,
    /** A message claiming to come from this replica. */
    OWN_MESSAGE,
    /** A forwarded request sent to a replica that is not the primary. */
    NOT_PRIMARY,
    /**
     * A forwarded request refused: the primary already queues proposalQueueMaxRequests forwarded ones
     * (n times what one replica may accept, so some replica forwards more than it could have accepted)
     * and its sender is the replica forwarding the most. Requests this replica accepted itself are
     * never refused.
     */
    QUEUE_FULL,
    /** Checkpoints beyond the per-replica quota (the oldest is evicted). */
    CHECKPOINT_QUOTA,
    /** A certified batch offered for catch-up that is not the next sequence. */
    CERTIFIED_OUT_OF_ORDER,
    /** A certified batch whose certificate or digest does not check. */
    INVALID_CERTIFICATE,
    /** A normal-case message while this replica changes view (it accepts only CHECKPOINT, VIEW-CHANGE, NEW-VIEW). */
    IN_VIEW_CHANGE,
    /** A VIEW-CHANGE whose checkpoint proof, prepared certificates or nested signatures do not check. */
    INVALID_VIEW_CHANGE,
    /** A NEW-VIEW not from the view's primary, without 2f+1 valid VIEW-CHANGEs, or whose O differs from the one recomputed from V. */
    INVALID_NEW_VIEW,
    /** A pre-prepare whose predecessor this replica has not accepted yet: buffered (bounded) until it has. */
    BUFFERED_EARLY_PRE_PREPARE,
    /**
     * With the primary's queue at its bound (see QUEUE_FULL), a forwarded request took the place of the
     * newest request of the replica forwarding the most; that one is dropped here (its sender keeps it).
     */
    QUEUE_DISPLACED,
    /**
     * A backup's buffer of requests relayed to it by other replicas was over proposalQueueMaxRequests:
     * the oldest of them (or the newcomer) is forgotten here; requests it accepted itself never are.
     */
    RELAY_FULL,
    /** A STATUS from a peer answered less than half a retransmit interval ago: not answered again. */
    STATUS_RATE,
    /** A checkpoint at a sequence that is not a multiple of the checkpoint interval: no correct replica sends one. */
    CHECKPOINT_OFF_INTERVAL,
    /** From a replica that is not in the replica set: its messages count for nothing. */
    NOT_A_MEMBER,
    /** Of a view of an earlier epoch (its replica set ordered nothing above the stable boundary). */
    OLD_EPOCH,
    /** Of a view of a later epoch than this replica reached (it catches up through checkpoints first). */
    FUTURE_EPOCH,
    /**
     * This replica is not in the replica set in force (removed, or not yet added): it takes part in
     * nothing but counting checkpoints, which tell it when to catch up by state transfer.
     */
    SELF_NOT_A_MEMBER
}
