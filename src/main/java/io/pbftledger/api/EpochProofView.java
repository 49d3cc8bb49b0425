package io.pbftledger.api;

import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.node.EpochProofs;
import io.pbftledger.node.StoredCheckpoint;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Signed;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Base64;
import java.util.List;

/**
 * The proof that an epoch took effect: the previous set's stable checkpoint at the sequence before
 * the epoch's first, whose state digest covers the new set. A verifier recomputes
 * {@code stateDigest} from {@code checkpoint}, {@code lastBlockHash}, {@code clientsDigest} and the
 * replicas digest of ({@code epoch}, {@code firstSequence}, {@code replicas}) as {@link CheckpointDigest}
 * documents, then checks that a quorum of distinct members of the previous epoch signed
 * CHECKPOINT(checkpoint, stateDigest) with the keys they held in it.
 */
@Schema(name = "EpochProof", description = "The previous replica set's stable checkpoint that certifies this epoch's set")
public record EpochProofView(
        @Schema(description = "The epoch it proves", example = "1") long epoch,
        @Schema(description = "The first sequence the epoch's set orders (the checkpoint + 1)", example = "101") long firstSequence,
        @Schema(description = "The epoch's replicas, by id") List<MembershipView.ReplicaView> replicas,
        @Schema(description = "The boundary checkpoint's sequence", example = "100") long checkpoint,
        @Schema(description = "The state digest the previous set signed (lowercase hex)") String stateDigest,
        @Schema(description = "Hash of the last block at or below the checkpoint (lowercase hex)") String lastBlockHash,
        @Schema(description = "Digest of the client membership after that block (lowercase hex)") String clientsDigest,
        @Schema(description = "A quorum of the previous set's CHECKPOINT signatures") List<CheckpointView.Signature> signatures) {

    static EpochProofView of(ReplicaRoster.Epoch epoch, EpochProofs.EpochProof proof) {
        StoredCheckpoint cp = proof.checkpoint();
        List<CheckpointView.Signature> signatures = cp.proof().stream().map(EpochProofView::signature).toList();
        return new EpochProofView(epoch.number(), epoch.firstSequence(),
                epoch.members().stream().map(MembershipView::replica).toList(), cp.sequence(), cp.stateDigest().hex(),
                proof.lastBlockHash().hex(), proof.clientsDigest().hex(), signatures);
    }

    private static CheckpointView.Signature signature(Signed<Checkpoint> s) {
        return new CheckpointView.Signature(s.message().replica(), Base64.getEncoder().encodeToString(s.signature()));
    }
}
