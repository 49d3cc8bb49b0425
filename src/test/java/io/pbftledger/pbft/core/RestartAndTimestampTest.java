package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.prePrepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.Status;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Crash recovery from the journal, the timestamp chain, and what the status tells an operator. */
class RestartAndTimestampTest {
    private final Fixture fx = new Fixture();

    /** "A primary durably records each pre-prepare before sending it, so a restarted primary never assigns a sequence number twice." */
    @Test
    void restartedPrimaryWithItsJournalNeverReusesASequenceNumber() {
        Cluster c = new Cluster();
        c.submit(0, request("a", 1), request("a", 2), request("a", 3)); // sequence 1 commits
        c.filter = (to, m) -> !(m.message() instanceof PrePrepare pp && pp.sequence() == 2);
        c.submit(0, request("b", 1), request("b", 2), request("b", 3)); // sequence 2 journaled, never arrives
        c.crash(0);
        c.restart(0);
        c.filter = (to, m) -> true;
        c.submit(0, request("x", 1), request("x", 2), request("x", 3));

        List<PrePrepare> proposals = c.sentBy(0, PrePrepare.class);
        assertThat(proposals).extracting(PrePrepare::sequence).containsExactly(1L, 2L, 3L);
        // Its retransmission re-sends the journaled sequence 2, unchanged, and everything commits.
        c.tickAll(Fixture.RETRANSMIT + 1);
        assertThat(c.sentBy(0, PrePrepare.class)).hasSize(3);
        assertThat(c.executed.get(1)).extracting(CommittedBatch::sequence).containsExactly(1L, 2L, 3L);
        assertThat(c.executedAt(1, 2).requests()).startsWith(request("b", 1));
    }

    @Test
    void restartedBackupWithItsJournalRefusesAPrePrepareConflictingWithTheOneItPrepared() {
        Replica backup = fx.replica(1);
        ClientRequest a = request("a", 1);
        backup.step(prePrepare(0, 0, 1, 10, a));
        Ready before = drain(backup);
        assertThat(before.persist()).extracting(s -> s.message().getClass().getSimpleName())
                .containsExactly("PrePrepare", "Prepare");

        Replica restarted = fx.replica(1, new RecoveredState(0, 0, 0, null, before.persist()));
        restarted.step(prePrepare(0, 0, 1, 10, request("b", 1)));
        assertThat(drops(restarted, DropReason.CONFLICTING_PRE_PREPARE)).isEqualTo(1);
        assertThat(sent(drain(restarted), Prepare.class)).isEmpty();
        // Its own prepare for the batch it accepted goes again as it was, to a peer that asks.
        restarted.step(Fixture.signed(new Status(0, 0, 0)));
        assertThat(sent(drain(restarted), Prepare.class)).singleElement()
                .isEqualTo(before.persist().get(1).message());
    }

    @Test
    void replicaRestartedDuringAViewChangeResendsTheSameViewChange() {
        Replica backup = fx.replica(3);
        List<Signed<? extends PbftMessage>> journal = new ArrayList<>();
        backup.step(prePrepare(0, 0, 1, 10, request("a", 1)));
        backup.step(Fixture.prepare(1, 0, 1, prePrepare(0, 0, 1, 10, request("a", 1)).message().batchDigest()));
        backup.step(Fixture.prepare(2, 0, 1, prePrepare(0, 0, 1, 10, request("a", 1)).message().batchDigest()));
        journal.addAll(drain(backup).persist());
        backup.tick(1);
        backup.tick(1 + Fixture.VIEW_CHANGE_TIMEOUT);
        Ready ready = drain(backup);
        journal.addAll(ready.persist());
        ViewChange sentBefore = sent(ready, ViewChange.class).get(0);
        assertThat(sentBefore.prepared()).hasSize(1);

        Replica restarted = fx.replica(3, new RecoveredState(0, 0, 0, null, journal));
        assertThat(restarted.status().status()).isEqualTo(ReplicaStatus.Status.VIEW_CHANGE);
        assertThat(restarted.status().viewChangeTarget()).isEqualTo(1);
        restarted.tick(Fixture.RETRANSMIT);
        assertThat(sent(drain(restarted), ViewChange.class)).containsExactly(sentBefore);
    }

    @Test
    void journalListsViewChangeAndNewView() {
        Cluster c = new Cluster();
        c.filter = (to, m) -> !(m.message() instanceof Commit);
        c.submit(0, request("a", 1), request("a", 2), request("a", 3));
        c.crash(0);
        c.filter = (to, m) -> true;
        c.tickAll(10);
        c.tickAll(10 + Fixture.VIEW_CHANGE_TIMEOUT);
        assertThat(c.journals.get(1)).anyMatch(s -> s.message() instanceof ViewChange)
                .anyMatch(s -> s.message() instanceof NewView);
        assertThat(c.journals.get(2)).anyMatch(s -> s.message() instanceof NewView);
    }

    /**
     * A Byzantine primary sends sequence 2 with an earlier timestamp than sequence 1, and sends it
     * first: the backup holds 2 until it accepted 1, then refuses it.
     */
    @Test
    void backupPreparesASequenceOnlyAfterItsPredecessorWithANoEarlierTimestamp() {
        Replica backup = fx.replica(1);
        backup.tick(10_000);
        backup.step(prePrepare(0, 0, 2, 9_000, request("a", 2)));
        assertThat(drops(backup, DropReason.BUFFERED_EARLY_PRE_PREPARE)).isEqualTo(1);
        assertThat(sent(drain(backup), Prepare.class)).isEmpty();
        backup.step(prePrepare(0, 0, 1, 9_500, request("a", 1)));
        assertThat(drops(backup, DropReason.TIMESTAMP_OUT_OF_RANGE)).isEqualTo(1);
        assertThat(sent(drain(backup), Prepare.class)).extracting(Prepare::sequence).containsExactly(1L);

        Replica other = fx.replica(2);
        other.tick(10_000);
        other.step(prePrepare(0, 0, 2, 9_600, request("a", 2)));
        other.step(prePrepare(0, 0, 1, 9_500, request("a", 1)));
        assertThat(sent(drain(other), Prepare.class)).extracting(Prepare::sequence).containsExactly(1L, 2L);
    }

    @Test
    void statusNamesTheReplicasWhoseVotesAreMissing() {
        Replica backup = fx.replica(1);
        var pp = prePrepare(0, 0, 1, 10, request("a", 1));
        backup.step(pp);
        assertThat(backup.status().missingForQuorum()).containsExactly(2, 3);
        backup.step(Fixture.prepare(2, 0, 1, pp.message().batchDigest()));
        // Prepared (pre-prepare + 2f prepares): now the commits are awaited.
        assertThat(backup.status().missingForQuorum()).containsExactly(0, 2, 3);
        backup.step(Fixture.commit(3, 0, 1, pp.message().batchDigest()));
        assertThat(backup.status().missingForQuorum()).containsExactly(0, 2);
        assertThat(backup.status().viewChangeTarget()).isZero();
    }

    @Test
    void aReplicaRestartedWithASmallerWatermarkWindowStillRefusesToContradictWhatItPrepared() {
        Replica backup = fx.replica(1);
        List<Signed<? extends PbftMessage>> journal = new ArrayList<>();
        for (long s = 1; s <= Fixture.K; s++) { // executed, so that the gate lets it prepare above K
            Ready ready = Fixture.commitAt(backup, 1, s, 10 + s, request("a", s));
            journal.addAll(ready.persist());
            backup.executed(s, io.pbftledger.pbft.message.Digest.ZERO);
        }
        for (long s = Fixture.K + 1; s <= 15; s++) { // inside (0, L=20]
            backup.step(prePrepare(0, 0, s, 10 + s, request("a", s)));
            journal.addAll(drain(backup).persist());
        }
        Signed<PrePrepare> other = prePrepare(0, 0, 11, 21, request("b", 11));
        ReplicaConfig smaller = ReplicaConfig.builder(1, Fixture.N)
                .checkpoints(Fixture.K, 10)
                .batches(Fixture.BATCH_MAX, Fixture.BATCH_BYTES, Fixture.DELAY)
                .timestampSkewMs(Fixture.SKEW)
                .retransmitIntervalMs(Fixture.RETRANSMIT)
                .viewChangeTimeoutMs(Fixture.VIEW_CHANGE_TIMEOUT)
                .build();
        Replica restarted = new Replica(smaller, Fixture.DOMAIN, Fixture.signer(1), Fixture.verifier(), fx.executedRequests,
                new RecoveredState(0, Fixture.K, 10 + Fixture.K, null, journal));
        // The window moves to (10, 20]: sequence 11, which it prepared before the restart, is inside it again.
        for (int r : new int[] {0, 2, 3}) {
            restarted.step(Fixture.checkpoint(r, Fixture.K, io.pbftledger.pbft.message.Digest.ZERO));
        }
        drain(restarted);
        restarted.step(other);

        assertThat(sent(drain(restarted), Prepare.class)).filteredOn(p -> p.sequence() == 11)
                .allMatch(p -> !p.batchDigest().equals(other.message().batchDigest()));
        assertThat(drops(restarted, DropReason.CONFLICTING_PRE_PREPARE)).isEqualTo(1);
    }
}
