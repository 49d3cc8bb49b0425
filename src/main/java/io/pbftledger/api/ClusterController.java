package io.pbftledger.api;

import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.node.ClientRegistry;

import static io.pbftledger.api.ProblemResponses.JSON;

import io.pbftledger.chain.Membership;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.node.LedgerService;
import io.pbftledger.transport.PeerHttpClients;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The consensus status of every replica side by side, gathered by this one from its peers. */
@RestController
@RequestMapping(path = "/api/v1", produces = JSON)
@Tag(name = "Operations", description = "Consensus state and chain verification of this replica")
public class ClusterController {
    private final ClientRegistry registry;
    private final LedgerService ledger;
    private final PeerConsensusClient peers;

    /** Peers are asked over the replica's peer clients (TLS when on); plain HTTP where none are configured (web slices). */
    public ClusterController(ClientRegistry registry, LedgerService ledger, ObjectProvider<PeerHttpClients> peerClients) {
        this.registry = registry;
        this.ledger = ledger;
        this.peers = new PeerConsensusClient(peerClients.getIfAvailable(PeerHttpClients::plain));
    }

    @GetMapping("/cluster")
    @Operation(operationId = "getClusterStatus", summary = "Consensus status of every replica",
            description = "This replica's own status and the /api/v1/consensus of each replica of the epoch in force "
                    + "here, asked in parallel with a timeout of 1.5 s; a peer that does not answer in time is listed "
                    + "as unreachable.")
    @ApiResponse(responseCode = "200", description = "One entry per replica, by id",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = ClusterView.class)))
    public ClusterView cluster() {
        ConsensusInfo own = ledger.consensus();
        List<Membership.Replica> replicas = new ArrayList<>();
        for (ReplicaRoster.Member m : registry.current().replicas().inForce(registry.executedSequence()).members()) {
            replicas.add(new Membership.Replica(m.id(), m.url(), m.publicKey()));
        }
        List<Membership.Replica> others = new ArrayList<>();
        for (Membership.Replica replica : replicas) {
            if (replica.id() != own.replicaId()) {
                others.add(replica);
            }
        }
        Iterator<ClusterView.Member> answers = peers.fetch(others).iterator();
        List<ClusterView.Member> members = new ArrayList<>(replicas.size());
        for (Membership.Replica replica : replicas) {
            members.add(replica.id() == own.replicaId() ? self(replica, own) : answers.next());
        }
        return new ClusterView(own.replicaId(), List.copyOf(members));
    }

    private static ClusterView.Member self(Membership.Replica replica, ConsensusInfo own) {
        return new ClusterView.Member(replica.id(), replica.url(), true, true, own.view(), own.primary(), own.status(),
                own.height(), own.lastExecutedSequence(), own.stableCheckpoint(), own.pendingTransactions(), null);
    }
}
