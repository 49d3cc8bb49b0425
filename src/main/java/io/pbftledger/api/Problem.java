package io.pbftledger.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** An RFC 9457 problem detail embedded in a batch result (top-level errors use Spring's ProblemDetail). */
@Schema(name = "Problem")
public record Problem(String type, String title, int status, String detail) {
}
