package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** What the demo signer should sign; everything but the payload has a default. */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "DemoSignRequest", description = "Fields to sign with a demo client key. Unknown fields are rejected.")
public record DemoSignRequest(
        @Schema(description = "Which demo client signs; default: the first one with the submit role", nullable = true,
                example = "client-0")
        String clientId,
        @Schema(description = "Default: a fresh nonce, unique on this replica", nullable = true,
                minimum = "0", maximum = "9007199254740991")
        Long nonce,
        @Schema(description = "World-state key to write; omit for none", nullable = true, example = "greeting")
        String key,
        @Schema(ref = OpenApiConfig.JSON_VALUE_REF, description = "Any JSON value", requiredMode = Schema.RequiredMode.REQUIRED)
        JsonNode payload) {
}
