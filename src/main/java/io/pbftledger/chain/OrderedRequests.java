package io.pbftledger.chain;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests a stored block's batch was ordered as. Blocks are ordered by request id
 * ({@link Transaction#requestId()}, which binds the signature); blocks stored by versions that
 * ordered by txId carry a batch digest over txIds. Such a digest is never reproduced by request ids
 * and the reverse (the two hashes cover different bytes), so which form a header's digest has is
 * unambiguous, and after an upgrade honest replicas sign only the request-id form.
 */
public final class OrderedRequests {
    private OrderedRequests() {
    }

    /**
     * The block's transactions as the requests whose ids, with the header's timestamp, give its
     * {@code batchDigest}: by request id, or by txId for a block ordered that way. Empty when neither
     * form reproduces the digest (the transactions are not the certified batch).
     */
    public static List<ClientRequest> of(BlockHeader header, List<Transaction> transactions) {
        List<ClientRequest> requests = new ArrayList<>(transactions.size());
        for (Transaction tx : transactions) {
            requests.add(tx.toRequest());
        }
        if (BatchDigest.ofRequests(header.timestamp(), requests).equals(header.batchDigest())) {
            return requests;
        }
        List<ClientRequest> legacy = new ArrayList<>(transactions.size());
        for (Transaction tx : transactions) {
            legacy.add(tx.toLegacyRequest());
        }
        if (BatchDigest.ofRequests(header.timestamp(), legacy).equals(header.batchDigest())) {
            return legacy;
        }
        return List.of();
    }
}
