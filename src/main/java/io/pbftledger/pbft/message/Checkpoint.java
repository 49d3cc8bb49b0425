package io.pbftledger.pbft.message;

import java.util.Objects;

/** CHECKPOINT(n, state digest) after executing sequence n. */
public record Checkpoint(int replica, long sequence, Digest stateDigest) implements PbftMessage {
    public Checkpoint {
        Objects.requireNonNull(stateDigest, "stateDigest");
        Checks.notNegative(replica, "replica");
        Checks.notNegative(sequence, "sequence");
    }
}
