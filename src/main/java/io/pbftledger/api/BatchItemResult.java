package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** The outcome of one item of a batch submission, in request order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "BatchItemResult")
public record BatchItemResult(
        @Schema(description = "Position of the item in the request array, from 0") int index,
        @Schema(description = "ACCEPTED: queued or already pending; DUPLICATE: already committed or repeated in this batch; "
                + "REJECTED: refused, see problem", allowableValues = {"ACCEPTED", "DUPLICATE", "REJECTED"}) String status,
        @Schema(description = "Present whenever the item parsed into a transaction", nullable = true) String txId,
        @Schema(description = "Why the item was refused (REJECTED only)", nullable = true) Problem problem) {

    static BatchItemResult accepted(int index, String txId) {
        return new BatchItemResult(index, "ACCEPTED", txId, null);
    }

    static BatchItemResult duplicate(int index, String txId) {
        return new BatchItemResult(index, "DUPLICATE", txId, null);
    }

    static BatchItemResult rejected(int index, String txId, Problem problem) {
        return new BatchItemResult(index, "REJECTED", txId, problem);
    }
}
