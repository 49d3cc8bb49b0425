package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.chain.TransactionRecord;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A transaction with its location in the chain once committed and, where this answer reports it, the
 * outcome of its execution.
 */
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
        @Schema(nullable = true, description = "This replica's signature over (txId, blockHeight, blockHash) and "
                + "the outcome (statement kind 1 EXECUTED, kind 3 REFUSED); present in a COMMITTED answer, absent "
                + "while PENDING and inside proofs") Attestation attestation,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, allowableValues = {"EXECUTED", "REFUSED", "SKIPPED"}, description = "What execution "
                + "did with the COMMITTED transaction. EXECUTED: it took effect. REFUSED: PBFT ordered it but execution "
                + "refused it (its client was revoked in an earlier block, or an invalid membership change); it changed "
                + "nothing. SKIPPED (only in a block's transaction list, which lists positions): a copy ordered again "
                + "whose (clientId, nonce) ran at an earlier position; it changed nothing. Absent while PENDING") String outcome,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "Why execution refused it (REFUSED only)") ExecutionRefusalView refusal) {

    /** The committed transaction as a block lists it: with the outcome at its position, without a signed statement. */
    static TransactionView listed(TransactionRecord record, TransactionOutcome outcome) {
        return of(record, outcome, null);
    }

    /** The committed transaction with its outcome and, in a direct answer (not inside a proof), its attestation. */
    static TransactionView of(TransactionRecord record, TransactionOutcome outcome, Attestation attestation) {
        Transaction tx = record.transaction();
        return new TransactionView(record.txId().hex(), "COMMITTED", tx.chainId(), tx.clientId(), tx.nonce(), tx.key(),
                tx.payload(), tx.signatureBase64(), record.blockHeight(), record.blockHash().hex(), record.index(),
                attestation, outcome.outcome(), outcome.refusal());
    }

    static TransactionView pending(Transaction tx, Digest txId) {
        return new TransactionView(txId.hex(), "PENDING", tx.chainId(), tx.clientId(), tx.nonce(), tx.key(),
                tx.payload(), tx.signatureBase64(), null, null, null, null, null, null);
    }
}
