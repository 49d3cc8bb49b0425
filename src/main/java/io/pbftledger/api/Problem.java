package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pbftledger.web.ProblemType;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An RFC 9457 problem detail. Embedded in batch results (without instance); also the documented
 * shape of every {@code application/problem+json} answer, which Spring's ProblemDetail produces.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem detail")
public record Problem(
        @Schema(description = "The kind of problem, a stable URI `" + ProblemType.PREFIX + "{kind}`: one of the kinds "
                + "listed in the README (\"Errors\"), each with one status; " + ProblemType.UNTYPED
                + " only for a status no kind has", example = ProblemType.PREFIX + "invalid-request")
        String type,
        @Schema(description = "The HTTP reason phrase", example = "Bad Request") String title,
        @Schema(description = "The HTTP status code", example = "400") int status,
        @Schema(description = "One line saying exactly what was wrong", example = "unknown field 'amount'") String detail,
        @Schema(description = "The request path (top-level answers only)", nullable = true, example = "/api/v1/transactions")
        String instance) {

    /** The detail of an unexpected failure: the cause is logged, never answered. */
    static final String INTERNAL_ERROR_DETAIL = "internal error; the replica's log has the details";

    /** A problem of {@code type} without instance, as embedded in a batch result. */
    static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null);
    }
}
