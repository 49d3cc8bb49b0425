package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Checks a pre-prepare's batch before a backup prepares it: the digest binds the timestamp and ids;
 * the batch is non-empty (except where it fills the sequences up to a pending replica-set change's
 * boundary, {@link Epochs#fillLimit}) and within the limits; no request appears twice, is already executed, or
 * sits in a pre-prepare at another sequence; the timestamp is monotonic and not too far ahead.
 */
final class BatchValidator {
    private final ReplicaConfig config;
    private final ExecutedRequests executed;
    private final InFlightRequests inFlight;

    BatchValidator(ReplicaConfig config, ExecutedRequests executed, InFlightRequests inFlight) {
        this.config = config;
        this.executed = executed;
        this.inFlight = inFlight;
    }

    /**
     * @param previousTimestamp timestamp of the batch at sequence-1 when known, else -1
     * @param nextTimestamp timestamp of an accepted batch at sequence+1 when known, else -1
     * @return why the batch is unacceptable, or null if it is acceptable
     */
    DropReason check(PrePrepare pp, long now, long previousTimestamp, long nextTimestamp) {
        return check(pp, now, previousTimestamp, nextTimestamp, -1);
    }

    /** @param fillLimit the last sequence an empty batch may fill ({@link Epochs#fillLimit}), or -1 */
    DropReason check(PrePrepare pp, long now, long previousTimestamp, long nextTimestamp, long fillLimit) {
        if (pp.batch().isEmpty() && pp.sequence() > fillLimit) {
            return DropReason.INVALID_BATCH;
        }
        DropReason shape = checkShape(pp);
        if (shape != null) {
            return shape;
        }
        if (!BatchDigest.ofRequests(pp.timestamp(), pp.batch()).equals(pp.batchDigest())) {
            return DropReason.BAD_BATCH_DIGEST;
        }
        if (pp.timestamp() > now + config.timestampSkewMs()
                || (previousTimestamp >= 0 && pp.timestamp() < previousTimestamp)
                || (nextTimestamp >= 0 && pp.timestamp() > nextTimestamp)) {
            return DropReason.TIMESTAMP_OUT_OF_RANGE;
        }
        return checkRequests(pp);
    }

    private DropReason checkShape(PrePrepare pp) {
        int count = pp.batch().size();
        if (count > config.batchMaxTransactions()) {
            return DropReason.INVALID_BATCH;
        }
        long bytes = 0;
        for (ClientRequest r : pp.batch()) {
            if (r.isReference()) {
                return DropReason.INVALID_BATCH; // a PRE-PREPARE carries its transactions
            }
            bytes += r.size();
        }
        // One oversized request may travel alone; the primary does the same.
        return bytes > config.batchMaxBytes() && count > 1 ? DropReason.INVALID_BATCH : null;
    }

    private DropReason checkRequests(PrePrepare pp) {
        HashSet<RequestKey> seen = new HashSet<>(pp.batch().size() * 2);
        List<RequestKey> keys = new ArrayList<>(pp.batch().size());
        for (ClientRequest r : pp.batch()) {
            RequestKey key = RequestKey.of(r);
            if (!seen.add(key)) {
                return DropReason.INVALID_BATCH;
            }
            keys.add(key);
        }
        // In batch order, so the questions asked of the driver's database are deterministic too.
        for (RequestKey key : keys) {
            long at = inFlight.sequenceOf(key);
            if ((at >= 0 && at != pp.sequence()) || executed.isExecuted(key.clientId(), key.nonce())) {
                return DropReason.REQUEST_ALREADY_ORDERED;
            }
        }
        return null;
    }
}
