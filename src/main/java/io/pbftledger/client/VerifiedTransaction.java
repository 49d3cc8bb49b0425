package io.pbftledger.client;

import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
import java.util.List;

/**
 * A committed transaction whose proof verified against the membership keys: it is in the batch that
 * 2f+1 replicas committed at {@code sequence} in {@code view}, at position {@code index}. That much the
 * commit certificate proves. The height, block hash and outcome it does not: {@link #confirmedBy()}
 * names the replicas that signed them; {@link LedgerClient#getTransaction} returns one only once f+1
 * replicas did, so at least one honest replica stands behind them.
 *
 * @param blockHeight and {@code blockHash}: the block as the answering replica built it; the hash is
 *                    recomputed from the header, the height is that header's (the commit certificate
 *                    signs the batch, not the height, previous hash or state hash)
 * @param certifiedBy the replicas whose COMMIT signatures verified, ascending
 * @param source      the URL of the replica that answered
 * @param outcome     what execution did with it, as the answering replica reports it: the certificate proves
 *                    that the transaction was ordered, not whether execution took it or refused it
 * @param refusal     why execution refused it; null unless {@code outcome} is REFUSED
 * @param outcomeSignedBy the replica whose signed statement of this location and outcome verified, or null
 *                    when the answer carried none (a replica that predates signed outcomes)
 * @param confirmedBy the replicas, ascending, whose valid signed statements state this height, block hash
 *                    and outcome (f+1 or more once confirmed; only the proof's own signer before)
 */
public record VerifiedTransaction(Transaction transaction, Digest txId, long blockHeight, Digest blockHash, int index,
                                  long view, long sequence, List<Integer> certifiedBy, String source, Outcome outcome,
                                  ExecutionRefusal refusal, Integer outcomeSignedBy, List<Integer> confirmedBy) {
    public VerifiedTransaction {
        certifiedBy = List.copyOf(certifiedBy);
        confirmedBy = List.copyOf(confirmedBy);
        java.util.Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.REFUSED) != (refusal != null)) {
            throw new IllegalArgumentException("a refusal comes with the REFUSED outcome, and only with it");
        }
    }

    /** A proof's transaction, its location and outcome signed by {@code outcomeSignedBy} alone (if anyone). */
    public VerifiedTransaction(Transaction transaction, Digest txId, long blockHeight, Digest blockHash, int index,
                               long view, long sequence, List<Integer> certifiedBy, String source, Outcome outcome,
                               ExecutionRefusal refusal, Integer outcomeSignedBy) {
        this(transaction, txId, blockHeight, blockHash, index, view, sequence, certifiedBy, source, outcome, refusal,
                outcomeSignedBy, outcomeSignedBy == null ? List.of() : List.of(outcomeSignedBy));
    }

    /** This transaction with the replicas that signed its location and outcome. */
    public VerifiedTransaction withConfirmedBy(List<Integer> replicas) {
        return new VerifiedTransaction(transaction, txId, blockHeight, blockHash, index, view, sequence, certifiedBy,
                source, outcome, refusal, outcomeSignedBy, replicas);
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
