package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.Objects;

/**
 * A batch committed at {@code sequence}, with its commit certificate: exactly 2f+1 matching signed
 * COMMITs from distinct replicas, sorted by replica id. Third parties verify blocks with it.
 */
public record CommittedBatch(long view, long sequence, long timestamp, int primary, Digest batchDigest,
        List<ClientRequest> requests, List<Signed<Commit>> certificate) {
    public CommittedBatch {
        Objects.requireNonNull(batchDigest, "batchDigest");
        requests = List.copyOf(requests);
        certificate = List.copyOf(certificate);
    }

    @Override
    public String toString() {
        return "CommittedBatch[v=" + view + ", n=" + sequence + ", t=" + timestamp + ", d=" + batchDigest
                + ", " + requests.size() + " requests]";
    }
}
