package io.pbftledger.chain;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests a stored block's batch was ordered as. Blocks are ordered by request id
 * ({@link Transaction#requestId()}, which binds the signature), so the header's batch digest covers
 * the exact bytes that were executed.
 */
public final class OrderedRequests {
    private OrderedRequests() {
    }

    /**
     * The block's transactions as the requests whose ids, with the header's timestamp, give its
     * {@code batchDigest}. Empty when they do not reproduce the digest (the transactions are not the
     * certified batch).
     */
    public static List<ClientRequest> of(BlockHeader header, List<Transaction> transactions) {
        List<ClientRequest> requests = new ArrayList<>(transactions.size());
        for (Transaction tx : transactions) {
            requests.add(tx.toRequest());
        }
        return BatchDigest.ofRequests(header.timestamp(), requests).equals(header.batchDigest())
                ? requests : List.of();
    }
}
