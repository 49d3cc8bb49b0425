package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.checkpoint;
import static io.pbftledger.pbft.core.Fixture.commitAt;
import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.prepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import org.junit.jupiter.api.Test;

/** Checkpoints and garbage collection [Castro and Liskov 4.3]. */
class CheckpointTest {
    private final Fixture fx = new Fixture();
    private final Digest state = Digest.sha256(new byte[] {42});

    /** Commits and executes sequences 1..upTo at backup 1. */
    private Replica executedUpTo(long upTo) {
        Replica backup = fx.replica(1);
        for (long s = 1; s <= upTo; s++) {
            for (CommittedBatch b : commitAt(backup, 1, s, s, request("c", s)).committed()) {
                fx.executed.add("c#" + b.sequence());
                backup.executed(b.sequence(), b.sequence() == Fixture.K ? state : Digest.ZERO);
            }
        }
        return backup;
    }

    @Test
    void multicastsCheckpointAtMultiplesOfTheInterval() {
        Replica backup = executedUpTo(Fixture.K - 1);
        assertThat(sent(drain(backup), Checkpoint.class)).isEmpty();
        for (CommittedBatch b : commitAt(backup, 1, Fixture.K, 100, request("c", Fixture.K)).committed()) {
            backup.executed(b.sequence(), state);
        }
        assertThat(sent(drain(backup), Checkpoint.class)).singleElement()
                .isEqualTo(new Checkpoint(1, Fixture.K, state));
    }

    @Test
    void stableCheckpointMovesLowWatermarkAndGarbageCollects() {
        Replica backup = executedUpTo(Fixture.K + 2);
        backup.step(prepare(2, 0, Fixture.K + 5, Digest.ZERO)); // an early vote above the checkpoint
        drain(backup);
        assertThat(backup.retainedSlots()).isEqualTo((int) Fixture.K + 3);

        backup.step(checkpoint(3, Fixture.K, state));
        assertThat(backup.status().lowWatermark()).isZero();
        backup.step(checkpoint(2, Fixture.K, state));
        Ready ready = drain(backup);

        assertThat(ready.stableCheckpoints()).singleElement().satisfies(sc -> {
            assertThat(sc.sequence()).isEqualTo(Fixture.K);
            assertThat(sc.stateDigest()).isEqualTo(state);
            assertThat(sc.proof()).extracting(p -> p.message().replica()).containsExactly(1, 2, 3);
        });
        ReplicaStatus status = backup.status();
        assertThat(status.lowWatermark()).isEqualTo(Fixture.K);
        assertThat(status.highWatermark()).isEqualTo(Fixture.K + Fixture.L);
        assertThat(status.stableCheckpoint()).isEqualTo(Fixture.K);
        assertThat(backup.retainedSlots()).isEqualTo(3); // K+1, K+2 and the early vote at K+5
        backup.step(checkpoint(0, Fixture.K, state));
        assertThat(drops(backup, DropReason.STALE_CHECKPOINT)).isEqualTo(1);
        backup.step(prepare(2, 0, Fixture.K, Digest.ZERO));
        assertThat(drops(backup, DropReason.OUTSIDE_WINDOW)).isEqualTo(1);
    }

    @Test
    void mismatchedCheckpointsDoNotBecomeStable() {
        Replica backup = executedUpTo(Fixture.K);
        backup.step(checkpoint(2, Fixture.K, Digest.ZERO));
        backup.step(checkpoint(3, Fixture.K, Digest.sha256(new byte[] {1})));
        assertThat(drain(backup).stableCheckpoints()).isEmpty();
        assertThat(backup.status().lowWatermark()).isZero();
    }

    @Test
    void checkpointsAboveTheWindowAreKeptAndShowTheReplicaIsBehind() {
        Replica backup = fx.replica(1);
        long far = 5 * Fixture.L;
        backup.step(checkpoint(2, far, state));
        assertThat(backup.catchUpTarget()).isEmpty();
        backup.step(checkpoint(3, far, state));
        assertThat(backup.catchUpTarget()).hasValue(far);
        backup.step(checkpoint(0, far, state));
        assertThat(drain(backup).stableCheckpoints()).hasSize(1);
        assertThat(backup.status().status()).isEqualTo(ReplicaStatus.Status.STATE_TRANSFER);
        assertThat(backup.status().lowWatermark()).isEqualTo(far);
    }

    @Test
    void aFaultyReplicaCannotGrowTheCheckpointLogWithoutBound() {
        Replica backup = fx.replica(1);
        for (long s = 1; s <= 1_000; s++) {
            backup.step(checkpoint(3, s * Fixture.K, state));
        }
        assertThat(backup.retainedLogSize()).isLessThanOrEqualTo((int) (Fixture.L / Fixture.K) + 2);
        assertThat(drops(backup, DropReason.CHECKPOINT_QUOTA)).isEqualTo(1_000 - (Fixture.L / Fixture.K) - 2);
    }

    @Test
    void checkpointVotesOfOneSenderKeepABoundedNumberOfSequencesWhateverItClaims() {
        Replica backup = fx.replica(1);
        int quota = (int) (Fixture.L / Fixture.K) + 2;
        for (long s = 1; s <= 10_000; s++) {
            backup.step(checkpoint(3, s * Fixture.K, state));
        }
        assertThat(backup.retainedCheckpointSequences()).isLessThanOrEqualTo(quota);
        assertThat(backup.retainedLogSize()).isLessThanOrEqualTo(quota);
    }

    @Test
    void checkpointEntriesOfEveryReplicaTogetherStayWithinNTimesTheQuota() {
        Replica backup = fx.replica(1);
        int quota = (int) (Fixture.L / Fixture.K) + 2;
        for (long s = 1; s <= 2_000; s++) {
            // interleaved, and each sender also revisits old sequences it was evicted from
            backup.step(checkpoint(0, s * Fixture.K, state));
            backup.step(checkpoint(2, (2_001 - s) * Fixture.K, state));
            backup.step(checkpoint(3, (s % 50 + 1) * Fixture.K, Digest.sha256(new byte[] {(byte) s})));
        }
        assertThat(backup.retainedCheckpointSequences()).isLessThanOrEqualTo(3 * quota);
    }

    @Test
    void checkpointsAtSequencesThatAreNotMultiplesOfTheIntervalAreRefused() {
        Replica backup = fx.replica(1);
        for (long s = 1; s < Fixture.K; s++) {
            backup.step(checkpoint(2, Fixture.K + s, state));
            backup.step(checkpoint(3, Fixture.K + s, state));
            backup.step(checkpoint(0, Fixture.K + s, state));
        }
        assertThat(drain(backup).stableCheckpoints()).isEmpty();
        assertThat(backup.retainedCheckpointSequences()).isZero();
        assertThat(drops(backup, DropReason.CHECKPOINT_OFF_INTERVAL)).isEqualTo(3 * (Fixture.K - 1));
    }

    @Test
    void executionMustBeReportedInOrderAndAfterDelivery() {
        Replica backup = executedUpTo(2);
        assertThatIllegalStateException().isThrownBy(() -> backup.executed(4, Digest.ZERO));
        assertThatIllegalStateException().isThrownBy(() -> backup.executed(3, Digest.ZERO));
    }
}
