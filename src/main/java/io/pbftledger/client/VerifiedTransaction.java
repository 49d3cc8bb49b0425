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
 * @param outcome     what execution did with it, as the answering replica reports it: the certificate proves
 *                    that the transaction was ordered, not whether execution took it or refused it
 * @param refusal     why execution refused it; null unless {@code outcome} is REFUSED
 * @param outcomeSignedBy the replica whose signed statement of this location and outcome verified, or null
 *                    when the answer carried none (a replica that predates signed outcomes)
 */
public record VerifiedTransaction(Transaction transaction, Digest txId, long blockHeight, Digest blockHash, int index,
                                  long view, long sequence, List<Integer> certifiedBy, String source, Outcome outcome,
                                  ExecutionRefusal refusal, Integer outcomeSignedBy) {
    public VerifiedTransaction {
        certifiedBy = List.copyOf(certifiedBy);
        java.util.Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.REFUSED) != (refusal != null)) {
            throw new IllegalArgumentException("a refusal comes with the REFUSED outcome, and only with it");
        }
    }

    /** A verified transaction reported as executed, without a signed outcome. */
    public VerifiedTransaction(Transaction transaction, Digest txId, long blockHeight, Digest blockHash, int index,
                               long view, long sequence, List<Integer> certifiedBy, String source) {
        this(transaction, txId, blockHeight, blockHash, index, view, sequence, certifiedBy, source, Outcome.EXECUTED,
                null, null);
    }

    /** Whether execution refused it (ordered, but no effect). */
    public boolean refused() {
        return outcome == Outcome.REFUSED;
    }
}
