package io.pbftledger.pbft.message;

import java.util.ArrayList;
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

    /**
     * This pre-prepare with every request as a reference (id, client, nonce; no transaction). Its
     * signing bytes, and so its signature, are unchanged: they cover the ids only. A VIEW-CHANGE or
     * NEW-VIEW carries pre-prepares in this form, so its size grows with the number of requests in
     * flight, not with their bytes; replicas take the transactions from their own log or fetch the
     * committed batch from a peer.
     */
    public PrePrepare withoutBodies() {
        boolean anyBody = false;
        for (ClientRequest r : batch) {
            anyBody |= !r.isReference();
        }
        if (!anyBody) {
            return this;
        }
        List<ClientRequest> references = new ArrayList<>(batch.size());
        for (ClientRequest r : batch) {
            references.add(r.reference());
        }
        return new PrePrepare(replica, view, sequence, timestamp, batchDigest, references);
    }

    /** True when every request carries its transaction (always for a null request, whose batch is empty). */
    public boolean hasBodies() {
        for (ClientRequest r : batch) {
            if (r.isReference()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "PrePrepare[r=" + replica + ", v=" + view + ", n=" + sequence + ", t=" + timestamp
                + ", d=" + batchDigest + ", " + batch.size() + " requests]";
    }
}
