package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;

import io.pbftledger.node.LedgerService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operator views: the replica's consensus state and a full re-verification of its chain. */
@RestController
@RequestMapping(path = "/api/v1", produces = JSON)
@Tag(name = "Operations", description = "Consensus state and chain verification of this replica")
public class ConsensusController {
    private final LedgerService ledger;

    public ConsensusController(LedgerService ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/consensus")
    @Operation(operationId = "getConsensusStatus", summary = "This replica's consensus state",
            description = "View, primary, watermarks, executed sequence, chain height, mempool size and peer reachability.")
    @ApiResponse(responseCode = "200", description = "The consensus state",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ConsensusView.class),
                    examples = @ExampleObject(value = ApiExamples.CONSENSUS)))
    public ConsensusView consensus() {
        return ConsensusView.of(ledger.consensus());
    }

    @GetMapping("/chain/verify")
    @Operation(operationId = "verifyChain", summary = "Re-verify the stored chain (admin)",
            description = "Re-hashes every block, checks the hash links and every commit certificate against the "
                    + "membership keys. Answers 200 either way; valid says whether the chain passed, and "
                    + "firstBadHeight and problem say where and why it did not. Only a client with the admin role "
                    + "may ask (signed-request headers, or a client certificate over mutual TLS), whatever "
                    + "ledger.api.reads says. One verification runs at a time; each continues from the newest block "
                    + "an earlier one verified since the replica started.")
    @ApiResponse(responseCode = "200", description = "The verification result",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ChainVerifyView.class),
                    examples = @ExampleObject(value = ApiExamples.VERIFY_VALID)))
    @ApiResponse(responseCode = "401", description = "The request is not signed, or its signature or timestamp is bad")
    @ApiResponse(responseCode = "403", description = "The signer is not a member or lacks the admin role")
    @ApiResponse(responseCode = "429", description = "Another verification is running (overloaded), or this address is "
            + "over its refused-request limit (rate-limited); Retry-After says when to ask again")
    public ChainVerifyView verify() {
        return ChainVerifyView.of(ledger.verifyChain());
    }
}
