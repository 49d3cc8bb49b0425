package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;
import static io.pbftledger.api.ProblemResponses.PROBLEM_JSON;

import io.pbftledger.chain.Membership;
import io.pbftledger.node.ClientRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The membership in effect: replicas (fixed) and the client membership that admin transactions change. */
@RestController
@RequestMapping(path = "/api/v1", produces = JSON)
@Tag(name = "Membership", description = "Replicas and clients in effect, changed by ordered admin transactions")
public class MembershipController {
    private final Membership membership;
    private final ClientRegistry clients;

    public MembershipController(Membership membership, ClientRegistry clients) {
        this.membership = membership;
        this.clients = clients;
    }

    @GetMapping("/membership")
    @Operation(summary = "The membership in effect",
            description = "The replicas and the clients with their keys and roles after this replica's newest block. "
                    + "height is the block whose execution made this client membership (0: the membership file's). "
                    + "An admin client changes it by submitting a transaction with key ledger:membership and payload "
                    + "{\"op\":\"add\",\"clientId\",\"publicKey\",\"roles\"}, {\"op\":\"revoke\",\"clientId\"} or "
                    + "{\"op\":\"roles\",\"clientId\",\"roles\"}; it applies from the block after the one it "
                    + "commits in, on every replica.")
    @ApiResponse(responseCode = "200", description = "The membership",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = MembershipView.class),
                    examples = @ExampleObject(value = MembershipExamples.MEMBERSHIP)))
    @ApiResponse(responseCode = "401", description = "Reads are authenticated and the request is not signed, "
            + "or its signature or timestamp is bad",
            content = @Content(mediaType = PROBLEM_JSON, examples = @ExampleObject(value = MembershipExamples.PROBLEM_UNAUTHORIZED_READ)))
    @ApiResponse(responseCode = "403", description = "Reads are authenticated and the signer is not a member or lacks the read role",
            content = @Content(mediaType = PROBLEM_JSON, examples = @ExampleObject(value = MembershipExamples.PROBLEM_FORBIDDEN_READ)))
    public MembershipView membership() {
        return MembershipView.of(membership, clients.current());
    }
}
