package io.pbftledger.client;

import io.pbftledger.pbft.message.Digest;
import java.util.List;
import java.util.SortedMap;

/**
 * A submission the client believes committed: f+1 replicas signed matching statements (txId, height,
 * block hash, outcome), so at least one honest replica did. A proof never establishes it alone: its
 * commit certificate proves the ordering, not the location or outcome. Committed means ordered: check
 * {@link #outcome()} to learn whether it took effect ({@link Outcome#EXECUTED}) or execution refused it
 * ({@link Outcome#REFUSED}, see {@link #refusal()}).
 *
 * @param index       position in the block: the verified proof's, else the confirming replicas' when they
 *                    agree on it (it is not signed), else null
 * @param confirmedBy replicas whose valid signed confirmations match this location, ascending (f+1 or more)
 * @param proof       a verified proof of this same location when one was fetched (after
 *                    {@link SubmitOptions#proofAfter()}), else null
 * @param disbelieved answers that were not believed, by replica or URL: bad signatures, statements of
 *                    another location, proofs that failed verification or contradicted a signed statement
 * @param answerJson  one confirming replica's JSON answer (with its attestation), for display
 * @param outcome     what execution did with it, as the confirming replicas signed it
 * @param refusal     why execution refused it; null unless {@code outcome} is REFUSED
 */
public record CommitConfirmation(Digest txId, long blockHeight, Digest blockHash, Integer index,
                                 List<Integer> confirmedBy, VerifiedTransaction proof,
                                 SortedMap<String, String> disbelieved, String answerJson, Outcome outcome,
                                 ExecutionRefusal refusal) {
    public CommitConfirmation {
        confirmedBy = List.copyOf(confirmedBy);
        disbelieved = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(disbelieved));
        java.util.Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.REFUSED) != (refusal != null)) {
            throw new IllegalArgumentException("a refusal comes with the REFUSED outcome, and only with it");
        }
    }

    /** A confirmation of an executed transaction. */
    public CommitConfirmation(Digest txId, long blockHeight, Digest blockHash, Integer index,
                              List<Integer> confirmedBy, VerifiedTransaction proof,
                              SortedMap<String, String> disbelieved, String answerJson) {
        this(txId, blockHeight, blockHash, index, confirmedBy, proof, disbelieved, answerJson, Outcome.EXECUTED, null);
    }

    /** Whether execution refused it (ordered, but no effect). */
    public boolean refused() {
        return outcome == Outcome.REFUSED;
    }

    /** Whether a verified proof of this location is attached (it adds the ordering evidence, not the location). */
    public boolean byProof() {
        return proof != null;
    }
}
