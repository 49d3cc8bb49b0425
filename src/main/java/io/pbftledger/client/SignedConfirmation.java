package io.pbftledger.client;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.pbft.message.Digest;
import tools.jackson.databind.JsonNode;

/**
 * One replica's signed statement that a transaction committed at (height, blockHash) with an outcome
 * (executed, or refused at execution for a stated reason), taken from a COMMITTED answer
 * ({@code POST ?wait=true} or {@code GET /api/v1/transactions/{txId}}) whose attestation verified with
 * that replica's key and agrees with the answer's own fields.
 *
 * @param refusal why execution refused it, or null when it was executed
 */
record SignedConfirmation(int replica, long height, Digest blockHash, Integer index, ExecutionRefusal refusal,
                          String json) {

    /**
     * What two confirmations must share to count together: the location and the outcome, refusal
     * included, so a replica that turns a refusal into a success (or changes its reason) counts alone.
     *
     * @param refusal null for EXECUTED
     */
    record Location(long height, Digest blockHash, ExecutionRefusal refusal) {
        boolean sameBlock(Location other) {
            return height == other.height && blockHash.equals(other.blockHash);
        }
    }

    Location location() {
        return new Location(height, blockHash, refusal);
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
        ExecutionRefusal refusal = OutcomeJson.refusal(answer);
        ReplyStatement statement = OutcomeJson.statement(membership.chainId(), txId, height, blockHash, refusal);
        if (!statement.verify(ids.keyOf(replica), JsonFields.base64(attestation, "signature"))) {
            throw new VerificationException("the attestation's signature does not verify with replica " + replica
                    + "'s key for the outcome " + OutcomeJson.describe(refusal));
        }
        JsonNode index = answer.get("index");
        return new SignedConfirmation(replica, height, blockHash,
                index != null && index.isIntegralNumber() && index.canConvertToInt() ? index.intValue() : null,
                refusal, text);
    }
}
