package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.commit;
import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.prePrepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restart, retransmission and catch-up from commit certificates. */
class RecoveryAndCatchUpTest {
    private final Fixture fx = new Fixture();

    @Test
    void restartedReplicaResumesAfterItsLastExecutedSequence() {
        Digest state = Digest.sha256(new byte[] {20});
        StableCheckpoint stable = new StableCheckpoint(20, state, List.of(Fixture.checkpoint(0, 20, state),
                Fixture.checkpoint(1, 20, state), Fixture.checkpoint(2, 20, state)));
        Replica primary = fx.replica(0, new RecoveredState(0, 25, 900, stable, List.of()));
        ReplicaStatus status = primary.status();
        assertThat(status.lowWatermark()).isEqualTo(20);
        assertThat(status.highWatermark()).isEqualTo(40);
        assertThat(status.lastExecutedSequence()).isEqualTo(25);
        for (int i = 0; i < Fixture.BATCH_MAX; i++) {
            primary.submit(request("a", i));
        }
        assertThat(sent(drain(primary), PrePrepare.class)).singleElement().satisfies(pp -> {
            assertThat(pp.sequence()).isEqualTo(26);
            assertThat(pp.timestamp()).isEqualTo(900);
        });
    }

    @Test
    void withoutAStoredProofTheLowWatermarkIsTheGenesisSoItsViewChangesStayValid() {
        Replica restarted = fx.replica(1, new RecoveredState(0, 25, 900));
        assertThat(restarted.status().lowWatermark()).isZero();
        assertThat(restarted.status().stableCheckpoint()).isZero();
    }

    @Test
    void aRestartedReplicaSignsTheCheckpointItExecutedAgainSoItCanStillBecomeStable() {
        Digest state = Digest.sha256(new byte[] {10});
        Replica restarted = fx.replica(1, new RecoveredState(0, 12, 900, null, List.of(),
                new RecoveredState.ExecutedCheckpoint(10, state)));
        List<Checkpoint> votes = sent(drain(restarted), Checkpoint.class);
        assertThat(votes).singleElement().satisfies(c -> {
            assertThat(c.sequence()).isEqualTo(10);
            assertThat(c.stateDigest()).isEqualTo(state);
            assertThat(c.replica()).isEqualTo(1);
        });
        restarted.step(Fixture.checkpoint(2, 10, state));
        restarted.step(Fixture.checkpoint(3, 10, state));
        assertThat(drain(restarted).stableCheckpoints()).singleElement()
                .satisfies(cp -> assertThat(cp.sequence()).isEqualTo(10));
        assertThat(restarted.status().lowWatermark()).isEqualTo(10);
    }

    @Test
    void asksForWhatItMissesAfterAnIntervalWithoutProgress() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        backup.step(pp);
        backup.step(Fixture.prepare(2, 0, 1, pp.message().batchDigest()));
        backup.submit(request("z", 9));
        drain(backup);
        backup.tick(Fixture.RETRANSMIT - 1);
        assertThat(backup.hasReady()).isFalse();
        backup.tick(Fixture.RETRANSMIT);
        Ready ready = drain(backup);
        assertThat(sent(ready, Status.class)).singleElement().satisfies(s -> {
            assertThat(s.view()).isZero();
            assertThat(s.lastCommitted()).isZero();
        });
        assertThat(ready.messages()).filteredOn(o -> o.message().message() instanceof Status)
                .allMatch(Outbound::isBroadcast);
        // It waits on slot 1 (prepared, not committed), so its own prepare and commit go again, to each
        // peer that may lack them; replica 2 sent no commit, so it may still need the prepare.
        assertThat(ready.messages()).filteredOn(o -> o.message().message() instanceof Prepare)
                .extracting(Outbound::to).containsExactlyInAnyOrder(0, 2, 3);
        assertThat(ready.messages()).filteredOn(o -> o.message().message() instanceof Commit)
                .extracting(Outbound::to).containsExactlyInAnyOrder(0, 2, 3);
        assertThat(ready.messages()).filteredOn(o -> o.message().message() instanceof Forward)
                .singleElement().satisfies(o -> assertThat(o.to()).isZero()); // the re-forwarded request
        // Backoff: the next STATUS waits twice as long.
        backup.tick(2 * Fixture.RETRANSMIT + 1);
        assertThat(backup.hasReady()).isFalse();
        backup.tick(3 * Fixture.RETRANSMIT);
        assertThat(sent(drain(backup), Status.class)).hasSize(1);
    }

    @Test
    void thePrimaryAnswersAStatusWithThePrePrepareTheBackupLacks() {
        Replica primary = fx.replica(0);
        primary.submit(request("a", 1));
        primary.tick(Fixture.DELAY);
        drain(primary);
        primary.step(Fixture.signed(new Status(1, 0, 0)));
        Ready ready = drain(primary);
        assertThat(sent(ready, PrePrepare.class)).singleElement().satisfies(pp -> assertThat(pp.sequence()).isEqualTo(1));
        assertThat(ready.messages()).singleElement().satisfies(o -> assertThat(o.to()).isEqualTo(1));
    }

    @Test
    void replicaBehindAStableCheckpointCatchesUpFromCertifiedBatches() {
        Replica behind = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 7, request("a", 1));
        Digest d = pp.message().batchDigest();
        List<Signed<Commit>> certificate = List.of(commit(3, 0, 1, d), commit(0, 0, 1, d), commit(2, 0, 1, d),
                commit(3, 0, 1, d));
        CommittedBatch fetched = new CommittedBatch(0, 1, 7, 0, d, pp.message().batch(), certificate);

        behind.deliverCertified(new CommittedBatch(0, 2, 7, 0, d, pp.message().batch(), certificate));
        assertThat(drops(behind, DropReason.CERTIFIED_OUT_OF_ORDER)).isEqualTo(1);
        behind.deliverCertified(new CommittedBatch(0, 1, 7, 0, d, pp.message().batch(), certificate.subList(0, 2)));
        behind.deliverCertified(new CommittedBatch(0, 1, 8, 0, d, pp.message().batch(), certificate));
        assertThat(drops(behind, DropReason.INVALID_CERTIFICATE)).isEqualTo(2);

        behind.deliverCertified(fetched);
        assertThat(drain(behind).committed()).singleElement().satisfies(b -> assertThat(b.certificate())
                .extracting(s -> s.message().replica()).containsExactly(0, 2, 3));
        assertThat(behind.lastDeliveredSequence()).isEqualTo(1);
        behind.step(pp);
        assertThat(drops(behind, DropReason.ALREADY_DELIVERED)).isEqualTo(1);
    }

    @Test
    void configRequiresFourReplicasOrMoreAndAWindowOfWholeCheckpointIntervals() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ReplicaConfig.builder(0, 3).build());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ReplicaConfig.builder(-1, 4).build());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ReplicaConfig.builder(0, 4).checkpoints(10, 25).build());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ReplicaConfig.builder(0, 4).batches(0, 1, 1).build());
        ReplicaConfig five = ReplicaConfig.builder(4, 5).build();
        assertThat(five.f()).isEqualTo(1);
        assertThat(five.quorum()).isEqualTo(4);
        ReplicaConfig seven = ReplicaConfig.builder(6, 7).build();
        assertThat(seven.f()).isEqualTo(2);
        assertThat(seven.quorum()).isEqualTo(5);
    }
}
