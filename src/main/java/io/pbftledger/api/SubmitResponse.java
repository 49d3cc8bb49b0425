package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pbftledger.node.SubmitResult;
import io.pbftledger.node.TxStatus;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Where a submitted transaction stands; the block location appears once it is COMMITTED, with its
 * outcome: ordered is not the same as executed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SubmitResponse")
public record SubmitResponse(
        @Schema(description = "Lowercase hex SHA-256 of the transaction's signing bytes") String txId,
        @Schema(allowableValues = {"PENDING", "COMMITTED"}) String status,
        @Schema(description = "Height of the block holding the transaction (COMMITTED only)", nullable = true) Long blockHeight,
        @Schema(description = "Hash of that block (COMMITTED only)", nullable = true) String blockHash,
        @Schema(description = "Position inside the block (COMMITTED only)", nullable = true) Integer index,
        @Schema(description = "This replica's signature over (txId, blockHeight, blockHash) and the outcome: "
                + "statement kind 1 when EXECUTED, kind 3 with the refusal when REFUSED (COMMITTED only)",
                nullable = true) Attestation attestation,
        @Schema(description = "COMMITTED only. EXECUTED: the transaction took effect. REFUSED: PBFT ordered it but "
                + "execution refused it (its client was revoked in an earlier block, or an invalid membership change); "
                + "it changed nothing", allowableValues = {"EXECUTED", "REFUSED"}, nullable = true) String outcome,
        @Schema(description = "Why execution refused it (REFUSED only)", nullable = true) ExecutionRefusalView refusal) {

    /** @param outcome the committed transaction's outcome; ignored (may be null) while PENDING */
    static SubmitResponse of(SubmitResult result, TransactionOutcome outcome, ReplyAttestor attestor) {
        if (result.status() != TxStatus.COMMITTED) {
            return new SubmitResponse(result.txId().hex(), result.status().name(), result.blockHeight(),
                    result.blockHash() == null ? null : result.blockHash().hex(), result.index(), null, null, null);
        }
        return new SubmitResponse(result.txId().hex(), result.status().name(), result.blockHeight(),
                result.blockHash().hex(), result.index(),
                attestor.transaction(result.txId(), result.blockHeight(), result.blockHash(), outcome),
                outcome.outcome(), outcome.refusal());
    }
}
