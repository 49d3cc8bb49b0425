package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.chain.TransactionRecord;
import io.swagger.v3.oas.annotations.media.Schema;

/** A committed transaction with its location in the chain. */
@Schema(name = "Transaction")
public record TransactionView(
        String txId,
        @Schema(allowableValues = {"PENDING", "COMMITTED"}) String status,
        String chainId,
        String clientId,
        long nonce,
        @Schema(nullable = true) String key,
        // Stored payloads are canonical JSON already; emitting them raw keeps them byte-exact.
        @JsonRawValue @Schema(ref = OpenApiConfig.JSON_VALUE_REF,
                description = "The payload as a JSON value, in RFC 8785 canonical form") String payload,
        @Schema(description = "Base64 Ed25519 signature") String signature,
        @Schema(nullable = true, description = "Absent while PENDING") Long blockHeight,
        @Schema(nullable = true, description = "Absent while PENDING") String blockHash,
        @Schema(nullable = true, description = "Absent while PENDING") Integer index,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "This replica's signature over (txId, blockHeight, blockHash); "
                + "present in a COMMITTED answer, absent while PENDING and inside proofs") Attestation attestation) {

    /** The committed transaction without a signed statement (as it appears inside a proof). */
    static TransactionView of(TransactionRecord record) {
        return of(record, null);
    }

    static TransactionView of(TransactionRecord record, Attestation attestation) {
        Transaction tx = record.transaction();
        return new TransactionView(record.txId().hex(), "COMMITTED", tx.chainId(), tx.clientId(), tx.nonce(), tx.key(),
                tx.payload(), tx.signatureBase64(), record.blockHeight(), record.blockHash().hex(), record.index(),
                attestation);
    }

    static TransactionView pending(Transaction tx, Digest txId) {
        return new TransactionView(txId.hex(), "PENDING", tx.chainId(), tx.clientId(), tx.nonce(), tx.key(),
                tx.payload(), tx.signatureBase64(), null, null, null, null);
    }
}
