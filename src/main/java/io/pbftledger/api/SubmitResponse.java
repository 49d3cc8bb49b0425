package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pbftledger.node.SubmitResult;
import io.pbftledger.node.TxStatus;
import io.swagger.v3.oas.annotations.media.Schema;

/** Where a submitted transaction stands; the block location appears once it is COMMITTED. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SubmitResponse")
public record SubmitResponse(
        @Schema(description = "Lowercase hex SHA-256 of the transaction's signing bytes") String txId,
        @Schema(allowableValues = {"PENDING", "COMMITTED"}) String status,
        @Schema(description = "Height of the block holding the transaction (COMMITTED only)", nullable = true) Long blockHeight,
        @Schema(description = "Hash of that block (COMMITTED only)", nullable = true) String blockHash,
        @Schema(description = "Position inside the block (COMMITTED only)", nullable = true) Integer index,
        @Schema(description = "This replica's signature over (txId, blockHeight, blockHash) (COMMITTED only)",
                nullable = true) Attestation attestation) {

    static SubmitResponse of(SubmitResult result, ReplyAttestor attestor) {
        boolean committed = result.status() == TxStatus.COMMITTED;
        return new SubmitResponse(result.txId().hex(), result.status().name(), result.blockHeight(),
                result.blockHash() == null ? null : result.blockHash().hex(), result.index(),
                committed ? attestor.transaction(result.txId(), result.blockHeight(), result.blockHash()) : null);
    }
}
