package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.pbftledger.chain.Transaction;
import io.swagger.v3.oas.annotations.media.Schema;

/** A signed transaction in exactly the shape {@code POST /api/v1/transactions} accepts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SignedTransaction")
public record SignedTransactionJson(String chainId, String clientId, long nonce,
                                    @Schema(nullable = true) String key,
                                    @JsonRawValue @Schema(ref = OpenApiConfig.JSON_VALUE_REF,
                                            description = "The payload in RFC 8785 canonical form") String payload,
                                    String signature) {

    static SignedTransactionJson of(Transaction tx) {
        return new SignedTransactionJson(tx.chainId(), tx.clientId(), tx.nonce(), tx.key(), tx.payload(),
                tx.signatureBase64());
    }
}
