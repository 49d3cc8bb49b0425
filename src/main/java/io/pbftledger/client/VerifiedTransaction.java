package io.pbftledger.client;

import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
import java.util.List;

/**
 * A committed transaction whose proof verified against the membership keys: it is in the batch that
 * 2f+1 replicas committed at {@code sequence} in {@code view}, at position {@code index}.
 *
 * @param blockHeight and {@code blockHash}: the block as the answering replica built it; the hash is
 *                    recomputed from the header, the height is that header's (the commit certificate
 *                    signs the batch, not the height)
 * @param certifiedBy the replicas whose COMMIT signatures verified, ascending
 * @param source      the URL of the replica that answered
 */
public record VerifiedTransaction(Transaction transaction, Digest txId, long blockHeight, Digest blockHash, int index,
                                  long view, long sequence, List<Integer> certifiedBy, String source) {
    public VerifiedTransaction {
        certifiedBy = List.copyOf(certifiedBy);
    }
}
