package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The current value of a key with the proof of the transaction that wrote it (the fields of a
 * transaction proof) and this replica's signed statement of the height it answers at.
 */
@Schema(name = "StateProof")
public record StateProofView(
        String key,
        @JsonRawValue @Schema(ref = OpenApiConfig.JSON_VALUE_REF, description = "The value as a JSON value (not a string)")
        String value,
        @Schema(description = "The transaction that wrote the value (its payload is the value), with its location")
        TransactionView transaction,
        @Schema(description = "Position of the transaction in the block") int index,
        @Schema(description = "Number of transactions in the block (the Merkle tree's size)") int transactionCount,
        @Schema(description = "Sibling hashes from the leaf up to transactionsRoot, lowercase hex") List<String> merklePath,
        @Schema(description = "The block's txIds in order (see TransactionProof)") List<String> transactionIds,
        @Schema(description = "The block's request ids in order, which recompute batchDigest (see TransactionProof)")
        List<String> requestIds,
        @Schema(description = "The header of the block holding the transaction, with its commit certificate") BlockView block,
        @Schema(description = "This replica's signature over (key, the height it answers at, that block's hash, "
                + "SHA-256 of the value, txId): the value is current at that height as far as this replica says")
        Attestation attestation) {

    static StateProofView of(String key, String value, TransactionProofView proof, Attestation attestation) {
        return new StateProofView(key, value, proof.transaction(), proof.index(), proof.transactionCount(),
                proof.merklePath(), proof.transactionIds(), proof.requestIds(), proof.block(), attestation);
    }
}
