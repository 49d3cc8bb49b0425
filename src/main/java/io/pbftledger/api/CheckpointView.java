package io.pbftledger.api;

import io.pbftledger.node.StoredCheckpoint;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Signed;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A stable checkpoint with its proof: 2f+1 replicas' signatures over CHECKPOINT(sequence, stateDigest). */
@Schema(name = "Checkpoint")
public record CheckpointView(
        @Schema(description = "Sequence number the checkpoint is taken at") long sequence,
        @Schema(description = "State digest the replicas signed (lowercase hex)") String stateDigest,
        @Schema(description = "Height of the last block at or below the sequence") long blockHeight,
        @Schema(description = "When this replica stored it") Instant created,
        @Schema(description = "The signed CHECKPOINTs of at least 2f+1 distinct replicas") List<Signature> proof) {

    /** One replica's Ed25519 signature over the CHECKPOINT's canonical bytes. */
    @Schema(name = "CheckpointSignature")
    public record Signature(int replica, @Schema(description = "Base64 Ed25519 signature") String signature) {
    }

    /** A page of checkpoints, newest first. */
    @Schema(name = "CheckpointPage")
    public record Page(List<CheckpointView> checkpoints) {
    }

    static CheckpointView of(StoredCheckpoint cp) {
        List<Signature> proof = new ArrayList<>(cp.proof().size());
        for (Signed<Checkpoint> s : cp.proof()) {
            proof.add(new Signature(s.message().replica(), Base64.getEncoder().encodeToString(s.signature())));
        }
        return new CheckpointView(cp.sequence(), cp.stateDigest().hex(), cp.blockHeight(), cp.created(), List.copyOf(proof));
    }
}
