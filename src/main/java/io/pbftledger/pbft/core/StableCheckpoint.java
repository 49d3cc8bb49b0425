package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.Objects;

/** A checkpoint proven stable by 2f+1 matching CHECKPOINTs from distinct replicas, sorted by replica. */
public record StableCheckpoint(long sequence, Digest stateDigest, List<Signed<Checkpoint>> proof) {
    public StableCheckpoint {
        Objects.requireNonNull(stateDigest, "stateDigest");
        proof = List.copyOf(proof);
    }
}
