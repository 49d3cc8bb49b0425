package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.checkpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A replica behind counts checkpoint votes by the set it knows; when executing the blocks in between
 * shows that a larger set ordered that sequence, its stable proof is no quorum there and every
 * VIEW-CHANGE carrying it is refused everywhere. It chooses the proof again from the matching votes
 * it holds, later ones included (simulator REKEY seeds 700499 and 700538 end-to-end).
 */
class StableProofRepairTest {
    private static final long K = 10;
    /** The stable checkpoint: above the boundary (K) of a change executed at sequence 5, so the new set orders it. */
    private static final long AT = 2 * K;
    private static final Digest STATE = Digest.sha256(new byte[] {1});

    private static List<Integer> signers(StableCheckpoint cp) {
        return cp.proof().stream().map(s -> s.message().replica()).sorted().toList();
    }

    @Test
    void aProofChosenByTheOldSetIsChosenAgainOnceALargerSetIsKnownToOrderItsSequence() {
        Epochs epochs = new Epochs(new ReplicaSet(List.of(0, 1, 2, 3)), K);
        CheckpointTracker tracker = new CheckpointTracker(epochs, 2 * K, K, 0);
        for (int replica : List.of(1, 2, 3)) {
            tracker.add(checkpoint(replica, AT, STATE));
        }
        StableCheckpoint stable = tracker.newlyStable(0);
        assertThat(signers(stable)).as("a quorum of the set of 4 it knows").containsExactly(1, 2, 3);
        tracker.makeStable(stable);
        assertThat(tracker.repairStableProof(0)).as("nothing to repair while that set orders it").isFalse();

        // executing sequence 5 shows that replica 4 joined there: [0..4] orders from 11 on, 20 too (quorum 4)
        epochs.schedule(5, new ReplicaSet(List.of(0, 1, 2, 3, 4)));
        assertThat(tracker.repairStableProof(0)).as("three votes cannot prove it yet").isFalse();
        assertThat(tracker.add(checkpoint(2, AT, Digest.sha256(new byte[] {9}))))
                .as("another digest at the stable sequence").isEqualTo(CheckpointTracker.Result.STALE);
        assertThat(tracker.repairStableProof(0)).isFalse();

        assertThat(tracker.add(checkpoint(4, AT, STATE))).isEqualTo(CheckpointTracker.Result.STALE);
        assertThat(tracker.repairStableProof(0)).isTrue();
        assertThat(tracker.stable().sequence()).isEqualTo(AT);
        assertThat(tracker.stable().stateDigest()).isEqualTo(STATE);
        assertThat(signers(tracker.stable())).containsExactly(1, 2, 3, 4);
        assertThat(tracker.repairStableProof(0)).as("a quorum now: nothing more to do").isFalse();
    }

    @Test
    void votesHeldWhenTheCheckpointBecameStableCountForTheRepair() {
        Epochs epochs = new Epochs(new ReplicaSet(List.of(0, 1, 2, 3)), K);
        CheckpointTracker tracker = new CheckpointTracker(epochs, 2 * K, K, 0);
        for (int replica : List.of(0, 1, 2, 3)) {
            tracker.add(checkpoint(replica, AT, STATE));
        }
        StableCheckpoint stable = tracker.newlyStable(0);
        assertThat(stable.proof()).hasSize(3);
        tracker.makeStable(stable);

        // a rotation-like change keeps the members; a removal of a signer makes the proof foreign
        List<Integer> before = signers(tracker.stable());
        int removed = before.get(before.size() - 1);
        List<Integer> rest = new java.util.ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
        rest.remove(Integer.valueOf(removed));
        epochs.schedule(5, new ReplicaSet(rest));
        // [0..5] without the removed signer: 5 members, quorum 4, and the fourth vote was held
        assertThat(tracker.repairStableProof(0)).isFalse();
        Signed<Checkpoint> fromFive = checkpoint(5, AT, STATE);
        tracker.add(fromFive);
        assertThat(tracker.repairStableProof(0)).isTrue();
        assertThat(signers(tracker.stable())).doesNotContain(removed).hasSize(4);
    }

    /**
     * A replica that switched to the new epoch with a proof it could not repair yet (too few votes of
     * the new set held) and then entered a view change sends its VIEW-CHANGE with that proof; every
     * replica refuses it. When the missing vote arrives, it signs the VIEW-CHANGE again, for the same
     * view, with a proof the new set accepts.
     */
    @Test
    void aStandingViewChangeIsSentAgainWithTheRepairedProof() {
        Replica r = new Fixture().replica(3);
        for (int replica : List.of(0, 1, 2)) {
            r.step(checkpoint(replica, AT, STATE));
        }
        Fixture.drain(r);
        // executing sequence 5 (catching up) shows that replica 4 joined there: [0..4] orders 11 on
        r.replicaSetChanged(5, new ReplicaSet(List.of(0, 1, 2, 3, 4)));
        Fixture.drain(r);
        long view = Epochs.VIEWS_PER_EPOCH + 1;
        List<Signed<Checkpoint>> proofOfFour = List.of(checkpoint(0, AT, STATE), checkpoint(1, AT, STATE),
                checkpoint(2, AT, STATE), checkpoint(4, AT, STATE));
        for (int replica : List.of(0, 1)) {
            r.step(Fixture.signed(new io.pbftledger.pbft.message.ViewChange(replica, view, AT, proofOfFour, List.of())));
        }
        List<io.pbftledger.pbft.message.ViewChange> sent =
                Fixture.sent(Fixture.drain(r), io.pbftledger.pbft.message.ViewChange.class);
        assertThat(sent).as("f+1 VIEW-CHANGEs pull it into the view change").singleElement()
                .satisfies(vc -> assertThat(vc.checkpointProof()).hasSize(3));

        r.step(checkpoint(4, AT, STATE));
        List<io.pbftledger.pbft.message.ViewChange> again =
                Fixture.sent(Fixture.drain(r), io.pbftledger.pbft.message.ViewChange.class);
        assertThat(again).singleElement().satisfies(vc -> {
            assertThat(vc.replica()).isEqualTo(3);
            assertThat(vc.newView()).isEqualTo(view);
            assertThat(vc.stableSequence()).isEqualTo(AT);
            assertThat(vc.checkpointProof()).extracting(c -> c.message().replica()).containsExactlyInAnyOrder(0, 1, 2, 4);
        });
    }
}
