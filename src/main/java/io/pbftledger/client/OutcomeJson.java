package io.pbftledger.client;

import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.pbft.message.Digest;
import tools.jackson.databind.JsonNode;

/**
 * Reads the outcome of a committed transaction from a replica's answer ({@code outcome} and
 * {@code refusal}) and names the statement its attestation must sign: kind 1 for an executed
 * transaction, kind 3 binding the refusal for a refused one.
 */
final class OutcomeJson {
    private OutcomeJson() {
    }

    /**
     * The refusal the answer reports, or null when it reports EXECUTED. An answer without
     * {@code outcome} comes from a replica that predates outcomes; it is read as EXECUTED, which is
     * also what its kind 1 signature states.
     */
    static ExecutionRefusal refusal(JsonNode answer) {
        String outcome = JsonFields.optionalText(answer, "outcome");
        JsonNode refusal = answer.get("refusal");
        boolean hasRefusal = refusal != null && !refusal.isNull();
        if (outcome == null || Outcome.EXECUTED.name().equals(outcome)) {
            if (hasRefusal) {
                throw new VerificationException("the answer says EXECUTED but carries a refusal");
            }
            return null;
        }
        if (!Outcome.REFUSED.name().equals(outcome)) {
            throw new VerificationException("the answer's outcome '" + outcome + "' is neither EXECUTED nor REFUSED");
        }
        if (!hasRefusal || !refusal.isObject()) {
            throw new VerificationException("the answer says REFUSED without the refusal object");
        }
        return new ExecutionRefusal(JsonFields.text(refusal, "kind"), JsonFields.text(refusal, "reason"));
    }

    static Outcome outcome(ExecutionRefusal refusal) {
        return refusal == null ? Outcome.EXECUTED : Outcome.REFUSED;
    }

    /** What a replica signs about a committed transaction with this outcome. */
    static ReplyStatement statement(String chainId, Digest txId, long height, Digest blockHash,
                                    ExecutionRefusal refusal) {
        return refusal == null ? ReplyStatement.transaction(chainId, txId, height, blockHash)
                : ReplyStatement.refusedTransaction(chainId, txId, height, blockHash, refusal.kind(), refusal.reason());
    }

    /** "EXECUTED" or "REFUSED (kind: reason)", for messages. */
    static String describe(ExecutionRefusal refusal) {
        return refusal == null ? Outcome.EXECUTED.name() : Outcome.REFUSED.name() + " (" + refusal + ")";
    }
}
