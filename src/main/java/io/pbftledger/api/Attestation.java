package io.pbftledger.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answering replica's signed statement about a committed answer: its Ed25519 signature over the
 * canonical bytes of {@link io.pbftledger.chain.ReplyStatement}. A client that holds the membership
 * checks it with the replica's public key and counts matching statements of distinct replicas.
 */
@Schema(name = "Attestation", description = "The answering replica's Ed25519 signature over the reply statement "
        + "\"PBFT-LEDGER-REPLY/v1\" || u8 kind (1 executed transaction, 2 state, 3 transaction refused at execution) "
        + "|| u16+UTF-8 chainId || u16+UTF-8 subject || u64 height || 32-byte blockHash, for state also || "
        + "SHA-256(canonical value) || writer txId (32 bytes), for a refused transaction also || u16+UTF-8 refusal kind "
        + "|| u16+UTF-8 refusal reason")
public record Attestation(
        @Schema(description = "Id of the replica that signed") int replica,
        @Schema(description = "Transaction: height of its block. State: the height this replica answers at") long height,
        @Schema(description = "Hash of the block at that height, lowercase hex") String blockHash,
        @Schema(description = "The txId (lowercase hex) or the state key") String subject,
        @Schema(description = "Base64 Ed25519 signature of the replica over the statement") String signature) {
}
