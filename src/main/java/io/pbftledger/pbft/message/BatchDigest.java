package io.pbftledger.pbft.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The digest a PRE-PREPARE, PREPARE and COMMIT agree on:
 * {@code SHA-256("pbft-ledger/batch/v1" || u64 BE timestamp || u32 BE count || id_1 .. id_count)}.
 * Binding the timestamp and the order of the ids means a commit certificate fixes the whole block
 * header input, not just the set of transactions.
 */
public final class BatchDigest {
    private static final byte[] DOMAIN = "pbft-ledger/batch/v1".getBytes(StandardCharsets.US_ASCII);

    private BatchDigest() {
    }

    public static Digest of(long timestamp, List<Digest> requestIds) {
        MessageDigest md = start(timestamp, requestIds.size());
        for (Digest id : requestIds) {
            id.update(md);
        }
        return new Digest(md.digest());
    }

    /** Same as {@link #of(long, List)} over the requests' ids, without building a list of ids. */
    public static Digest ofRequests(long timestamp, List<ClientRequest> requests) {
        MessageDigest md = start(timestamp, requests.size());
        for (ClientRequest r : requests) {
            r.id().update(md);
        }
        return new Digest(md.digest());
    }

    private static MessageDigest start(long timestamp, int count) {
        MessageDigest md = Digest.newSha256();
        md.update(DOMAIN);
        md.update(ByteBuffer.allocate(12).putLong(timestamp).putInt(count).array());
        return md;
    }
}
