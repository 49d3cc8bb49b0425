package io.pbftledger.pbft.message;

import java.util.Objects;

/** PREPARE(v, n, d) from a backup that accepted the pre-prepare. */
public record Prepare(int replica, long view, long sequence, Digest batchDigest) implements OrderingMessage {
    public Prepare {
        Objects.requireNonNull(batchDigest, "batchDigest");
        Checks.notNegative(replica, "replica");
        Checks.notNegative(view, "view");
        Checks.notNegative(sequence, "sequence");
    }
}
