package io.pbftledger.api;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The membership in effect: the fixed replicas and the client membership after the newest block. */
@Schema(description = "The membership in effect on this replica")
public record MembershipView(
        @Schema(description = "Chain id", example = "pbft-demo-1a2b3c") String chainId,
        @Schema(description = "Height of the block whose execution made the current client membership (0: the membership file's clients)",
                example = "42") long height,
        @Schema(description = "Replicas 0..n-1 (fixed)") List<ReplicaView> replicas,
        @Schema(description = "Current clients, by id") List<ClientView> clients) {

    @Schema(description = "A replica")
    public record ReplicaView(@Schema(example = "0") int id,
                              @Schema(example = "http://127.0.0.1:8080") String url,
                              @Schema(description = "Ed25519 public key, base64") String publicKey) {
    }

    @Schema(description = "A client")
    public record ClientView(@Schema(example = "client-0") String id,
                             @Schema(description = "Ed25519 public key, base64") String publicKey,
                             @Schema(description = "submit, read and/or admin", example = "[\"submit\",\"read\"]") List<String> roles,
                             @Schema(description = "Height of the block that added it or last changed its roles (0: from the membership file)",
                                     example = "0") long since) {
    }

    static MembershipView of(Membership membership, ClientMembership clients) {
        List<ReplicaView> replicas = membership.replicas().stream()
                .map(r -> new ReplicaView(r.id(), r.url(), r.publicKey().toBase64())).toList();
        List<ClientView> clientViews = clients.clients().stream().map(MembershipView::client).toList();
        return new MembershipView(membership.chainId(), clients.height(), replicas, clientViews);
    }

    private static ClientView client(ClientEntry c) {
        return new ClientView(c.id(), c.publicKey().toBase64(), c.roles().stream().map(Role::label).toList(), c.since());
    }
}
