package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;

import io.pbftledger.chain.LedgerException;
import io.pbftledger.node.CheckpointStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Stable checkpoints with their proofs. */
@RestController
@RequestMapping(path = "/api/v1/checkpoints", produces = JSON)
@Tag(name = "Checkpoints", description = "Stable checkpoints: state digests that 2f+1 replicas signed")
public class CheckpointController {
    private final CheckpointStore checkpoints;

    public CheckpointController(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
    }

    @GetMapping
    @Operation(operationId = "listCheckpoints", summary = "Recent stable checkpoints",
            description = "Newest first. Every ledger.checkpoint-interval sequence numbers the replicas sign "
                    + "CHECKPOINT(sequence, state digest); 2f+1 matching ones make it stable.")
    @ApiResponse(responseCode = "200", description = "The checkpoints",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = CheckpointView.Page.class)))
    @ApiResponse(responseCode = "400", description = "limit outside 1..100")
    public CheckpointView.Page recent(
            @Parameter(description = "At most this many checkpoints, 1..100",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "20"))
            @RequestParam(defaultValue = "20") int limit) {
        return new CheckpointView.Page(checkpoints.recent(ApiLimits.pageLimit(limit)).stream()
                .map(CheckpointView::of).toList());
    }

    @GetMapping("/latest")
    @Operation(operationId = "getLatestCheckpoint", summary = "The newest stable checkpoint", description = "With its 2f+1 signatures.")
    @ApiResponse(responseCode = "200", description = "The checkpoint",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = CheckpointView.class)))
    @ApiResponse(responseCode = "404", description = "No checkpoint is stable yet")
    public CheckpointView latest() {
        return checkpoints.latest().map(CheckpointView::of)
                .orElseThrow(() -> LedgerException.notFound("no checkpoint is stable yet"));
    }
}
