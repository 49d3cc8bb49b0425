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
 *
 * <p>An empty {@code requests} list is a null request a NEW-VIEW put in a gap: the driver makes no
 * block for it (block heights stay contiguous) but still reports it with {@link Replica#executed}.
 * After a view change a batch may hold a request that an earlier sequence already executed (O
 * re-proposes what prepared, wherever it prepared); every replica executes the same sequence of
 * batches, so "already executed at a lower sequence" is the same answer everywhere and the driver
 * treats such a request as a no-op.
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
