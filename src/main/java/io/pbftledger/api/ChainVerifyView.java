package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pbftledger.node.ChainCheck;
import io.swagger.v3.oas.annotations.media.Schema;

/** The result of re-verifying the stored chain; the failure fields appear only when it is invalid. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ChainVerification")
public record ChainVerifyView(boolean valid, long height, long checkedBlocks,
                              @Schema(nullable = true, description = "First height that failed (invalid only)") Long firstBadHeight,
                              @Schema(nullable = true, description = "What failed there (invalid only)") String problem) {

    static ChainVerifyView of(ChainCheck check) {
        return new ChainVerifyView(check.valid(), check.height(), check.checkedBlocks(), check.firstBadHeight(),
                check.problem());
    }
}
