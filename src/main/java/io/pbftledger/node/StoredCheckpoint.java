package io.pbftledger.node;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.time.Instant;
import java.util.List;

/**
 * A stable checkpoint as stored: the sequence, the state digest 2f+1 replicas signed, the height of
 * the last block at or below that sequence, when this replica stored it, and the 2f+1 signed
 * CHECKPOINTs that prove it.
 */
public record StoredCheckpoint(long sequence, Digest stateDigest, long blockHeight, Instant created,
                               List<Signed<Checkpoint>> proof) {
    public StoredCheckpoint {
        proof = List.copyOf(proof);
    }
}
