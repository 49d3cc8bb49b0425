package io.pbftledger.api;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ReplicaRoster;
import io.swagger.v3.oas.annotations.media.Schema;
import io.pbftledger.node.EpochProofs;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * Every replica-set change of the chain, from the membership file's replicas on: what a verifier that
 * trusts only the genesis membership needs to judge each block by the replica set of its epoch. Each
 * change in force carries the proof of its epoch: the previous set's boundary checkpoint, whose
 * signed digest covers the new set ({@link EpochProofView}).
 */
@Schema(description = "The replica sets of the chain: the membership file's, then every change with its block, "
        + "checkpoint and epoch")
public record ReplicaHistoryView(
        @Schema(description = "Chain id", example = "pbft-demo-1a2b3c") String chainId,
        @Schema(description = "Hash of the genesis block (lowercase hex): every replica signature of this chain is over "
                + "\"pbft-ledger/replica-signature/v1\" ‖ this hash ‖ the message's bytes")
        String genesisHash,
        @Schema(description = "Sequences between checkpoints", example = "100") long checkpointInterval,
        @Schema(description = "The replicas of epoch 0: the membership file's") List<MembershipView.ReplicaView> genesis,
        @Schema(description = "Every change, oldest first; change i starts epoch i+1")
        List<MembershipView.ReplicaChangeView> changes,
        @Schema(description = "The epoch in force on this replica", example = "2") long epoch) {

    static ReplicaHistoryView of(ClientMembership membership, long executedSequence, EpochProofs proofs,
                                 Digest genesisHash) {
        ReplicaRoster roster = membership.replicas();
        List<MembershipView.ReplicaChangeView> changes = new ArrayList<>(roster.changes().size());
        for (ReplicaRoster.Change c : roster.changes()) {
            ReplicaRoster.Epoch epoch = roster.epoch(c.epoch()).orElseThrow();
            EpochProofView proof = executedSequence < c.boundary() ? null
                    : proofs.of(epoch).map(p -> EpochProofView.of(epoch, p)).orElse(null);
            changes.add(MembershipView.ReplicaChangeView.of(c, executedSequence, proof));
        }
        return new ReplicaHistoryView(membership.chainId(), genesisHash.hex(), roster.checkpointInterval(),
                roster.epochs().get(0).members().stream().map(MembershipView::replica).toList(), List.copyOf(changes),
                roster.inForce(executedSequence).number());
    }
}
