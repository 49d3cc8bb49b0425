package io.pbftledger.chain;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.List;

/** A batch PBFT committed at {@code sequence}, with its commit certificate. */
public record OrderedBatch(long view, long sequence, long timestamp, int primary, Digest batchDigest,
                           List<ClientRequest> requests, List<Signed<Commit>> certificate) {
    public OrderedBatch {
        requests = List.copyOf(requests);
        certificate = List.copyOf(certificate);
    }
}
