package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An RFC 9457 problem detail. Embedded in batch results (without instance); also the documented
 * shape of every {@code application/problem+json} answer, which Spring's ProblemDetail produces.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem detail")
public record Problem(
        @Schema(description = "Always about:blank: the status says what kind of problem it is", example = "about:blank")
        String type,
        @Schema(description = "The HTTP reason phrase", example = "Bad Request") String title,
        @Schema(description = "The HTTP status code", example = "400") int status,
        @Schema(description = "One line saying exactly what was wrong", example = "unknown field 'amount'") String detail,
        @Schema(description = "The request path (top-level answers only)", nullable = true, example = "/api/v1/transactions")
        String instance) {

    Problem(String type, String title, int status, String detail) {
        this(type, title, status, detail, null);
    }
}
