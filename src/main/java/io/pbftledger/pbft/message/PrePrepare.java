package io.pbftledger.pbft.message;

import java.util.List;
import java.util.Objects;

/**
 * PRE-PREPARE(v, n, t, d) from the primary with the batch travelling beside it: the signature covers
 * the request ids only (see {@link MessageCodec#signingBytes}), and {@code batchDigest} must equal
 * {@link BatchDigest#of(long, List)} over {@code timestamp} and the ids, which the core checks.
 */
public record PrePrepare(int replica, long view, long sequence, long timestamp, Digest batchDigest,
        List<ClientRequest> batch) implements OrderingMessage {
    public PrePrepare {
        Objects.requireNonNull(batchDigest, "batchDigest");
        batch = List.copyOf(batch);
        Checks.notNegative(replica, "replica");
        Checks.notNegative(view, "view");
        Checks.notNegative(sequence, "sequence");
        Checks.notNegative(timestamp, "timestamp");
    }

    @Override
    public String toString() {
        return "PrePrepare[r=" + replica + ", v=" + view + ", n=" + sequence + ", t=" + timestamp
                + ", d=" + batchDigest + ", " + batch.size() + " requests]";
    }
}
