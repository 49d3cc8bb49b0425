package io.pbftledger.api;

import io.pbftledger.chain.Refusal;
import io.swagger.v3.oas.annotations.media.Schema;

/** Why execution refused a transaction that PBFT ordered, as every replica stored it. */
@Schema(name = "ExecutionRefusal", description = "Why execution refused the ordered transaction; it stays in its "
        + "block and changed nothing")
public record ExecutionRefusalView(
        @Schema(description = "The kind of refusal: FORBIDDEN (client unknown, revoked or without the role), INVALID "
                + "(e.g. a membership change that does not apply), BAD_SIGNATURE",
                allowableValues = {"INVALID", "BAD_SIGNATURE", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "TOO_LARGE",
                        "OVERLOADED", "UNAVAILABLE"}) String kind,
        @Schema(description = "The one-line reason execution gave") String reason) {

    static ExecutionRefusalView of(Refusal refusal) {
        return new ExecutionRefusalView(refusal.kind().name(), refusal.reason());
    }
}
