package io.pbftledger.pbft.message;

import java.util.Objects;

/** COMMIT(v, n, d) from a replica in which the batch is prepared; 2f+1 of them certify a block. */
public record Commit(int replica, long view, long sequence, Digest batchDigest) implements OrderingMessage {
    public Commit {
        Objects.requireNonNull(batchDigest, "batchDigest");
        Checks.notNegative(replica, "replica");
        Checks.notNegative(view, "view");
        Checks.notNegative(sequence, "sequence");
    }
}
