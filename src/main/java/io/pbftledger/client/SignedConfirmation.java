package io.pbftledger.client;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.pbft.message.Digest;
import tools.jackson.databind.JsonNode;

/**
 * One replica's signed statement that a transaction committed at (height, blockHash), taken from a
 * COMMITTED answer ({@code POST ?wait=true} or {@code GET /api/v1/transactions/{txId}}) whose
 * attestation verified with that replica's key and agrees with the answer's own fields.
 */
record SignedConfirmation(int replica, long height, Digest blockHash, Integer index, String json) {

    /** The location two confirmations must share to count together. */
    record Location(long height, Digest blockHash) {
    }

    Location location() {
        return new Location(height, blockHash);
    }

    static SignedConfirmation of(JsonNode answer, String text, Digest txId, Membership membership, ProofVerifier ids) {
        if (!txId.hex().equals(JsonFields.text(answer, "txId"))) {
            throw new VerificationException("the answer is about txId " + JsonFields.text(answer, "txId"));
        }
        long height = JsonFields.number(answer, "blockHeight");
        Digest blockHash = JsonFields.digest(answer, "blockHash");
        JsonNode attestation = JsonFields.object(answer, "attestation");
        int replica = ids.replicaOf(attestation);
        if (!txId.hex().equals(JsonFields.text(attestation, "subject"))
                || JsonFields.number(attestation, "height") != height
                || !blockHash.equals(JsonFields.digest(attestation, "blockHash"))) {
            throw new VerificationException("replica " + replica + "'s attestation does not state the answer's "
                    + "txId, blockHeight and blockHash");
        }
        ReplyStatement statement = ReplyStatement.transaction(membership.chainId(), txId, height, blockHash);
        if (!statement.verify(membership.replica(replica).publicKey(), JsonFields.base64(attestation, "signature"))) {
            throw new VerificationException("the attestation's signature does not verify with replica " + replica
                    + "'s key");
        }
        JsonNode index = answer.get("index");
        return new SignedConfirmation(replica, height, blockHash,
                index != null && index.isIntegralNumber() && index.canConvertToInt() ? index.intValue() : null, text);
    }
}
