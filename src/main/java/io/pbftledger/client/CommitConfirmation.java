package io.pbftledger.client;

import io.pbftledger.pbft.message.Digest;
import java.util.List;
import java.util.SortedMap;

/**
 * A submission the client believes committed: f+1 replicas signed matching statements (txId, height,
 * block hash, outcome), so at least one honest replica did; or one replica's proof verified
 * ({@code proof}). Committed means ordered: check {@link #outcome()} to learn whether it took effect
 * ({@link Outcome#EXECUTED}) or execution refused it ({@link Outcome#REFUSED}, see {@link #refusal()}).
 *
 * @param index       position in the block when the confirming replicas agree on it (it is not signed), else null
 * @param confirmedBy replicas whose valid signed confirmations match this location, ascending
 * @param proof       the verified proof when the commit was established by a proof, else null
 * @param disbelieved answers that were not believed, by replica or URL: bad signatures, statements of
 *                    another location, proofs that failed verification
 * @param answerJson  one confirming replica's JSON answer (with its attestation), for display
 * @param outcome     what execution did with it, as the confirming replicas signed it (with a proof: as the
 *                    proving replica signed it, the certificate proves the ordering only; no replica's
 *                    validly signed confirmation of the same block contradicted it)
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

    public boolean byProof() {
        return proof != null;
    }
}
