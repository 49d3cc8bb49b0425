package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.pbftledger.chain.StateEntry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The current value of a world-state key. */
@Schema(name = "StateValue")
public record StateView(
        String key,
        // Stored values are canonical JSON; raw output keeps them byte-exact.
        @JsonRawValue @Schema(ref = OpenApiConfig.JSON_VALUE_REF, description = "The value as a JSON value (not a string)")
        String value,
        @Schema(description = "Height of the block whose transaction wrote the value") long blockHeight,
        @Schema(description = "The transaction that wrote the value") String txId,
        @Schema(description = "This replica's signature over (key, the height it answers at, that block's hash, "
                + "SHA-256 of the value, txId)") Attestation attestation) {

    static StateView of(StateEntry entry, Attestation attestation) {
        return new StateView(entry.key(), entry.value(), entry.blockHeight(), entry.txId().hex(), attestation);
    }

    /** The values a key has held, newest first. */
    @Schema(name = "StateHistory")
    public record History(String key, List<Version> history) {
    }

    /** One value a key held and the transaction that wrote it. */
    @Schema(name = "StateVersion")
    public record Version(@JsonRawValue @Schema(ref = OpenApiConfig.JSON_VALUE_REF, description = "The value as a JSON value")
                          String value,
                          long blockHeight, String txId) {

        static Version of(StateEntry entry) {
            return new Version(entry.value(), entry.blockHeight(), entry.txId().hex());
        }
    }
}
