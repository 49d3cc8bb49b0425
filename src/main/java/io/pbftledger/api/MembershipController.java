package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;
import static io.pbftledger.api.ProblemResponses.PROBLEM_JSON;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.EpochProofs;
import io.pbftledger.pbft.message.Digest;
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
    private final ClientRegistry clients;
    private final EpochProofs proofs;
    private final Membership membership;

    public MembershipController(ClientRegistry clients, EpochProofs proofs, Membership membership) {
        this.clients = clients;
        this.proofs = proofs;
        this.membership = membership;
    }

    @GetMapping("/membership")
    @Operation(operationId = "getMembership", summary = "The membership in effect",
            description = "The replicas of the epoch in force and the clients with their keys and roles after this "
                    + "replica's newest block. height is the block whose execution made this membership (0: the "
                    + "membership file's). An admin client changes the clients by submitting a transaction with key "
                    + "ledger:membership and payload {\"op\":\"add\",\"clientId\",\"publicKey\",\"roles\"}, "
                    + "{\"op\":\"revoke\",\"clientId\"} or {\"op\":\"roles\",\"clientId\",\"roles\"}; it applies "
                    + "from the block after the one it commits in, on every replica. It changes the replicas with key "
                    + "ledger:replicas and payload {\"op\":\"add\",\"replicaId\",\"url\",\"publicKey\"}, "
                    + "{\"op\":\"remove\",\"replicaId\"}, {\"op\":\"rotate-key\",\"replicaId\",\"publicKey\"} or "
                    + "{\"op\":\"set-url\",\"replicaId\",\"url\"}; that applies from the first checkpoint at or "
                    + "above its block's sequence on (a new epoch), one change at a time.")
    @ApiResponse(responseCode = "200", description = "The membership",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = MembershipView.class),
                    examples = @ExampleObject(value = MembershipExamples.MEMBERSHIP)))
    @ApiResponse(responseCode = "401", description = "Reads are authenticated and the request is not signed, "
            + "or its signature or timestamp is bad",
            content = @Content(mediaType = PROBLEM_JSON, examples = @ExampleObject(value = MembershipExamples.PROBLEM_UNAUTHORIZED_READ)))
    @ApiResponse(responseCode = "403", description = "Reads are authenticated and the signer is not a member or lacks the read role",
            content = @Content(mediaType = PROBLEM_JSON, examples = @ExampleObject(value = MembershipExamples.PROBLEM_FORBIDDEN_READ)))
    public MembershipView membership() {
        return MembershipView.of(clients.current(), clients.executedSequence());
    }

    @GetMapping("/membership/history")
    @Operation(operationId = "getMembershipHistory", summary = "Every replica-set change",
            description = "The membership file's replicas (epoch 0) and every executed replica-set change with its "
                    + "block, the checkpoint after which it takes effect and the epoch it starts: what a verifier that "
                    + "trusts only the membership file needs to judge each block's certificate by the replica set of "
                    + "its epoch. Each change in force carries its proof: the previous set's stable checkpoint at the "
                    + "boundary, whose signed state digest covers the new set (see EpochProof).")
    @ApiResponse(responseCode = "200", description = "The history",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ReplicaHistoryView.class),
                    examples = @ExampleObject(value = MembershipExamples.HISTORY)))
    @ApiResponse(responseCode = "401", description = "Reads are authenticated and the request is not signed, "
            + "or its signature or timestamp is bad",
            content = @Content(mediaType = PROBLEM_JSON, examples = @ExampleObject(value = MembershipExamples.PROBLEM_UNAUTHORIZED_READ)))
    @ApiResponse(responseCode = "403", description = "Reads are authenticated and the signer is not a member or lacks the read role",
            content = @Content(mediaType = PROBLEM_JSON, examples = @ExampleObject(value = MembershipExamples.PROBLEM_FORBIDDEN_READ)))
    public ReplicaHistoryView history() {
        Digest genesisHash = Genesis.signingDomain(membership).genesisHash();
        return ReplicaHistoryView.of(clients.current(), clients.executedSequence(), proofs, genesisHash);
    }
}
