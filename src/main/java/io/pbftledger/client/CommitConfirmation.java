package io.pbftledger.client;

import io.pbftledger.pbft.message.Digest;
import java.util.List;
import java.util.SortedMap;

/**
 * A submission the client believes committed: f+1 replicas signed matching statements (txId, height,
 * block hash), so at least one honest replica did; or one replica's proof verified ({@code proof}).
 *
 * @param index       position in the block when the confirming replicas agree on it (it is not signed), else null
 * @param confirmedBy replicas whose valid signed confirmations match this location, ascending
 * @param proof       the verified proof when the commit was established by a proof, else null
 * @param disbelieved answers that were not believed, by replica or URL: bad signatures, statements of
 *                    another location, proofs that failed verification
 * @param answerJson  one confirming replica's JSON answer (with its attestation), for display
 */
public record CommitConfirmation(Digest txId, long blockHeight, Digest blockHash, Integer index,
                                 List<Integer> confirmedBy, VerifiedTransaction proof,
                                 SortedMap<String, String> disbelieved, String answerJson) {
    public CommitConfirmation {
        confirmedBy = List.copyOf(confirmedBy);
        disbelieved = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(disbelieved));
    }

    public boolean byProof() {
        return proof != null;
    }
}
