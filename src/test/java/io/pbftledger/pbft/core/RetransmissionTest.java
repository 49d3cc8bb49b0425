package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.RETRANSMIT;
import static io.pbftledger.pbft.core.Fixture.checkpoint;
import static io.pbftledger.pbft.core.Fixture.commit;
import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.prePrepare;
import static io.pbftledger.pbft.core.Fixture.prepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static io.pbftledger.pbft.core.Fixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica without progress sends a STATUS; its peers answer with only what it can still need,
 * judged from what it sent; and the wait adapts to how long slots take (see {@link Retransmitter}
 * and {@link RetransmitTimeout}).
 */
class RetransmissionTest {
    private final Fixture fx = new Fixture();

    @Test
    void thePrimarySendsItsPrePrepareOnlyToABackupThatNeitherPreparedNorCommittedIt() {
        Replica primary = primaryPreparedByOneAndTwo();

        primary.step(signed(new Status(1, 0, 0)));
        Ready toOne = drain(primary);
        assertThat(sent(toOne, PrePrepare.class)).isEmpty(); // replica 1 prepared it, so it holds it
        assertThat(sent(toOne, Commit.class)).hasSize(1);
        assertThat(toOne.messages()).allMatch(o -> o.to() == 1);

        primary.step(signed(new Status(3, 0, 0)));
        Ready toThree = drain(primary);
        assertThat(destinations(toThree, PrePrepare.class)).containsExactly(3);
        assertThat(destinations(toThree, Commit.class)).containsExactly(3);
    }

    @Test
    void aBackupSendsNoPrepareToAPeerThatCommittedAndNothingAboutSlotsThePeerExecuted() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        backup.step(pp);
        backup.step(prepare(2, 0, 1, d)); // prepared: its own prepare and replica 2's
        backup.step(commit(2, 0, 1, d)); // replica 2 committed, so it holds a prepared certificate
        drain(backup);

        backup.step(signed(new Status(2, 0, 0)));
        Ready toTwo = drain(backup);
        assertThat(sent(toTwo, Prepare.class)).isEmpty();
        assertThat(destinations(toTwo, Commit.class)).containsExactly(2);
        assertThat(sent(toTwo, PrePrepare.class)).isEmpty(); // it committed, so it holds the primary's

        backup.step(signed(new Status(0, 0, 0)));
        Ready toZero = drain(backup);
        assertThat(destinations(toZero, Prepare.class)).containsExactly(0);
        assertThat(destinations(toZero, Commit.class)).containsExactly(0);

        backup.step(signed(new Status(3, 0, 1))); // replica 3 committed slot 1 already
        assertThat(sent(drain(backup))).isEmpty();

        backup.step(checkpoint(3, Fixture.K, Digest.sha256(new byte[] {1})));
        backup.tick(RETRANSMIT / 2);
        drain(backup);
        backup.step(signed(new Status(3, 0, 0))); // its checkpoint covers slot 1: it executed it
        assertThat(sent(drain(backup), PbftMessage.class)).isEmpty();
    }

    @Test
    void aPeerAskingAgainFromTheSamePointGetsEverythingSinceItMayHaveLostWhatItSent() {
        Replica primary = primaryPreparedByOneAndTwo();
        primary.step(signed(new Status(1, 0, 0)));
        assertThat(sent(drain(primary), PrePrepare.class)).isEmpty();
        primary.tick(RETRANSMIT / 2);
        drain(primary);
        // Replica 1 restarted and lost the pre-prepare it had prepared: it asks from 0 again.
        primary.step(signed(new Status(1, 0, 0)));
        assertThat(destinations(drain(primary), PrePrepare.class)).containsExactly(1);
    }

    @Test
    void aReplicaWithoutProgressPushesItsOwnVotesOnlyForSlotsItHasNotCommitted() {
        Replica backup = fx.replica(1);
        Fixture.commitAt(backup, 1, 1, 0, request("a", 1));
        Signed<PrePrepare> open = prePrepare(0, 0, 2, 0, request("a", 2));
        backup.step(open);
        backup.step(commit(3, 0, 2, open.message().batchDigest())); // replica 3 prepared slot 2
        drain(backup);
        backup.tick(RETRANSMIT);
        Ready ready = drain(backup);
        assertThat(sent(ready, Status.class)).singleElement().satisfies(s -> assertThat(s.lastCommitted()).isEqualTo(1));
        assertThat(sent(ready, Commit.class)).isEmpty(); // slot 1 committed here: its commit waits to be asked
        assertThat(sent(ready, Prepare.class)).allSatisfy(p -> assertThat(p.sequence()).isEqualTo(2));
        assertThat(destinations(ready, Prepare.class)).containsExactlyInAnyOrder(0, 2);
    }

    @Test
    void aStatusForAnotherViewGetsNoVotesOfThisOne() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        backup.step(pp);
        drain(backup);
        backup.step(signed(new Status(2, 1, 0)));
        assertThat(sent(drain(backup), Prepare.class)).isEmpty();
    }

    @Test
    void aPeerIsAnsweredAtMostOncePerHalfInterval() {
        Replica backup = fx.replica(1);
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1)));
        drain(backup);
        backup.step(signed(new Status(0, 0, 0)));
        assertThat(sent(drain(backup), Prepare.class)).hasSize(1);
        backup.step(signed(new Status(0, 0, 0))); // a network duplicate, or a peer asking too often
        assertThat(sent(drain(backup))).isEmpty();
        assertThat(drops(backup, DropReason.STATUS_RATE)).isEqualTo(1);
        backup.step(signed(new Status(2, 0, 0))); // another peer is answered
        assertThat(sent(drain(backup), Prepare.class)).hasSize(1);
        backup.tick(RETRANSMIT / 2);
        drain(backup);
        backup.step(signed(new Status(0, 0, 0)));
        assertThat(sent(drain(backup), Prepare.class)).hasSize(1);
    }

    @Test
    void slotsThatTakeLongerThanTheIntervalToCommitPostponeTheStatus() {
        Replica backup = fx.replica(1);
        long took = RETRANSMIT - 50;
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        backup.step(pp);
        backup.tick(took);
        backup.step(prepare(2, 0, 1, d));
        backup.step(prepare(3, 0, 1, d));
        backup.step(commit(0, 0, 1, d));
        backup.step(commit(2, 0, 1, d));
        assertThat(drain(backup).committed()).hasSize(1);
        long timeout = backup.status().retransmitTimeoutMs();
        assertThat(timeout).isEqualTo(Math.min(2 * took, Math.max(RETRANSMIT, Fixture.VIEW_CHANGE_TIMEOUT / 2)))
                .isGreaterThan(RETRANSMIT);

        backup.tick(took + RETRANSMIT); // the configured interval alone would send a STATUS here
        assertThat(sent(drain(backup))).isEmpty();
        backup.tick(took + timeout);
        assertThat(sent(drain(backup), Status.class)).singleElement()
                .satisfies(s -> assertThat(s.lastCommitted()).isEqualTo(1));
    }

    @Test
    void aSlotStillOpenWhenItsReplicaAskedGivesNoSample() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        backup.step(pp);
        backup.tick(RETRANSMIT); // nothing came back: it asks
        assertThat(sent(drain(backup), Status.class)).hasSize(1);
        backup.tick(RETRANSMIT + 400);
        backup.step(prepare(2, 0, 1, d));
        backup.step(commit(0, 0, 1, d));
        backup.step(commit(2, 0, 1, d));
        assertThat(drain(backup).committed()).hasSize(1);
        // 900 ms from pre-prepare to commit would have raised the timeout; a slot that waited for the
        // answers to a STATUS says nothing of the round trip (Karn's rule).
        assertThat(backup.status().retransmitTimeoutMs()).isEqualTo(RETRANSMIT);
    }

    /** The primary proposed slot 1 and prepared it with the prepares of replicas 1 and 2; its commit went out. */
    private Replica primaryPreparedByOneAndTwo() {
        Replica primary = fx.replica(0);
        for (int i = 0; i < Fixture.BATCH_MAX; i++) {
            primary.submit(request("a", i));
        }
        Digest d = sent(drain(primary), PrePrepare.class).get(0).batchDigest();
        primary.step(prepare(1, 0, 1, d));
        primary.step(prepare(2, 0, 1, d));
        drain(primary);
        return primary;
    }

    private static List<Integer> destinations(Ready ready, Class<? extends PbftMessage> type) {
        return ready.messages().stream().filter(o -> type.isInstance(o.message().message())).map(Outbound::to)
                .toList();
    }
}
