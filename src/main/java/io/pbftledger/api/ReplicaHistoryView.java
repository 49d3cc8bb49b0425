package io.pbftledger.api;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ReplicaRoster;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Every replica-set change of the chain, from the membership file's replicas on: what a verifier that
 * trusts only the genesis membership needs to judge each block by the replica set of its epoch (each
 * change's block holds the signed transaction, certified by the set before it).
 */
@Schema(description = "The replica sets of the chain: the membership file's, then every change with its block, "
        + "checkpoint and epoch")
public record ReplicaHistoryView(
        @Schema(description = "Chain id", example = "pbft-demo-1a2b3c") String chainId,
        @Schema(description = "Sequences between checkpoints", example = "100") long checkpointInterval,
        @Schema(description = "The replicas of epoch 0: the membership file's") List<MembershipView.ReplicaView> genesis,
        @Schema(description = "Every change, oldest first; change i starts epoch i+1")
        List<MembershipView.ReplicaChangeView> changes,
        @Schema(description = "The epoch in force on this replica", example = "2") long epoch) {

    static ReplicaHistoryView of(ClientMembership membership, long executedSequence) {
        ReplicaRoster roster = membership.replicas();
        return new ReplicaHistoryView(membership.chainId(), roster.checkpointInterval(),
                roster.epochs().get(0).members().stream().map(MembershipView::replica).toList(),
                roster.changes().stream().map(c -> MembershipView.ReplicaChangeView.of(c, executedSequence)).toList(),
                roster.inForce(executedSequence).number());
    }
}
