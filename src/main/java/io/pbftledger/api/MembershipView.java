package io.pbftledger.api;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ReplicaOp;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The membership in effect: the replica set in force and the client membership after the newest block. */
@Schema(description = "The membership in effect on this replica")
public record MembershipView(
        @Schema(description = "Chain id", example = "pbft-demo-1a2b3c") String chainId,
        @Schema(description = "Height of the block whose execution made the current membership (0: the membership file's)",
                example = "42") long height,
        @Schema(description = "The replicas of the epoch in force here, by id") List<ReplicaView> replicas,
        @Schema(description = "Current clients, by id") List<ClientView> clients,
        @Schema(description = "The epoch in force here: 0 for the membership file's replicas, one more per replica-set change "
                + "that took effect", example = "0") long epoch,
        @Schema(description = "The first sequence the replicas of this epoch order", example = "1") long epochFirstSequence,
        @Schema(description = "Sequences between checkpoints: a replica-set change takes effect after the first checkpoint "
                + "at or above the sequence of its block", example = "100") long checkpointInterval,
        @Schema(description = "A replica-set change executed here that has not taken effect yet, or null",
                nullable = true) ReplicaChangeView pendingChange) {

    @Schema(description = "A replica")
    public record ReplicaView(@Schema(example = "0") int id,
                              @Schema(example = "http://127.0.0.1:8080") String url,
                              @Schema(description = "Ed25519 public key, base64") String publicKey,
                              @Schema(description = "The epoch since which it is a member (0: from the membership file)",
                                      example = "0") long sinceEpoch,
                              @Schema(description = "Height of the block whose change added it (0: from the membership file)",
                                      example = "0") long sinceHeight) {
    }

    @Schema(description = "A client")
    public record ClientView(@Schema(example = "client-0") String id,
                             @Schema(description = "Ed25519 public key, base64") String publicKey,
                             @Schema(description = "submit, read and/or admin", example = "[\"submit\",\"read\"]") List<String> roles,
                             @Schema(description = "Height of the block that added it or last changed its roles (0: from the membership file)",
                                     example = "0") long since) {
    }

    /** A replica-set change, its block and where it takes effect. */
    @Schema(description = "A replica-set change: a ledger:replicas transaction that execution applied")
    public record ReplicaChangeView(
            @Schema(description = "The epoch it starts", example = "1") long epoch,
            @Schema(description = "add, remove, rotate-key or set-url", example = "add") String op,
            @Schema(example = "4") int replicaId,
            @Schema(description = "The new base URL (add, set-url), else null", nullable = true) String url,
            @Schema(description = "The new Ed25519 public key, base64 (add, rotate-key), else null", nullable = true) String publicKey,
            @Schema(description = "Height of the block that executed it", example = "57") long height,
            @Schema(description = "Sequence of that block", example = "61") long sequence,
            @Schema(description = "Its transaction's txId") String txId,
            @Schema(description = "The last checkpoint the previous replica set signs: the new set orders from the next "
                    + "sequence on", example = "100") long checkpoint,
            @Schema(description = "Whether it is in force on this replica (its checkpoint is executed here)") boolean inForce,
            @Schema(description = "The proof that its epoch took effect (in the history only; null while it is pending, "
                    + "or when this replica reached the checkpoint by state transfer past it: ask another replica)",
                    nullable = true) EpochProofView proof) {

        static ReplicaChangeView of(ReplicaRoster.Change c, long executedSequence) {
            return of(c, executedSequence, null);
        }

        static ReplicaChangeView of(ReplicaRoster.Change c, long executedSequence, EpochProofView proof) {
            String url = c.op() instanceof ReplicaOp.Add add ? add.url()
                    : c.op() instanceof ReplicaOp.SetUrl set ? set.url() : null;
            String key = c.op() instanceof ReplicaOp.Add add ? add.publicKey().toBase64()
                    : c.op() instanceof ReplicaOp.RotateKey rotate ? rotate.publicKey().toBase64() : null;
            return new ReplicaChangeView(c.epoch(), c.op().label(), c.op().replicaId(), url, key, c.height(), c.sequence(),
                    c.txId().hex(), c.boundary(), executedSequence >= c.boundary(), proof);
        }
    }

    /**
     * @param executedSequence the sequence of this replica's newest stored block: the epoch in force is
     *                         the one ordering the next sequence
     */
    static MembershipView of(ClientMembership membership, long executedSequence) {
        ReplicaRoster roster = membership.replicas();
        ReplicaRoster.Epoch epoch = roster.inForce(executedSequence);
        List<ReplicaView> replicas = epoch.members().stream().map(MembershipView::replica).toList();
        List<ClientView> clientViews = membership.clients().stream().map(MembershipView::client).toList();
        ReplicaChangeView pending = roster.pending(executedSequence)
                .map(c -> ReplicaChangeView.of(c, executedSequence)).orElse(null);
        return new MembershipView(membership.chainId(), membership.height(), replicas, clientViews, epoch.number(),
                epoch.firstSequence(), roster.checkpointInterval(), pending);
    }

    static ReplicaView replica(ReplicaRoster.Member m) {
        return new ReplicaView(m.id(), m.url(), m.publicKey().toBase64(), m.sinceEpoch(), m.sinceHeight());
    }

    private static ClientView client(ClientEntry c) {
        return new ClientView(c.id(), c.publicKey().toBase64(), c.roles().stream().map(Role::label).toList(), c.since());
    }
}
