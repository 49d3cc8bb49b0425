package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Transaction;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * A signed transaction as a client posts it. {@code payload} is any JSON value; the signature covers
 * its RFC 8785 canonical form inside the byte layout documented on {@link Transaction}.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "TransactionRequest", description = "A client-signed transaction. Unknown fields are rejected.")
public record TransactionRequest(
        @Schema(description = "The ledger's chain id", example = "pbft-demo-1a2b3c", pattern = "[A-Za-z0-9._-]{1,64}",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String chainId,
        @Schema(description = "A client listed in the membership with the submit role", example = "client-0",
                pattern = "[A-Za-z0-9._-]{1,64}", requiredMode = Schema.RequiredMode.REQUIRED)
        String clientId,
        @Schema(description = "Client-chosen number, unique per client; (clientId, nonce) executes at most once",
                minimum = "0", maximum = "9007199254740991", example = "1",
                requiredMode = Schema.RequiredMode.REQUIRED)
        Long nonce,
        @Schema(description = "World-state key this transaction writes; omit for a log-only transaction",
                pattern = "[A-Za-z0-9._:-]{1,256}", example = "greeting", nullable = true)
        String key,
        @Schema(ref = OpenApiConfig.JSON_VALUE_REF, description = "Any JSON value, at most 65536 bytes in RFC 8785 canonical form",
                requiredMode = Schema.RequiredMode.REQUIRED)
        JsonNode payload,
        @Schema(description = "Base64 of the client's 64-byte Ed25519 signature over the transaction's signing bytes",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String signature) {

    /** Checks the fields the schema cannot express and builds the transaction (payload canonicalized). */
    Transaction toTransaction(StrictJson json) {
        if (nonce == null) {
            throw LedgerException.invalid("nonce is required");
        }
        if (payload == null) {
            throw LedgerException.invalid("payload is required");
        }
        if (signature == null) {
            throw LedgerException.invalid("signature is required");
        }
        return Transaction.fromJsonPayload(chainId, clientId, nonce, key, json.write(payload), decodeSignature(signature));
    }

    private static byte[] decodeSignature(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw LedgerException.invalid("signature is not valid base64");
        }
    }
}
