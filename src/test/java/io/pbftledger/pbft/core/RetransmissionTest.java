package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.RETRANSMIT;
import static io.pbftledger.pbft.core.Fixture.checkpoint;
import static io.pbftledger.pbft.core.Fixture.commit;
import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.prePrepare;
import static io.pbftledger.pbft.core.Fixture.prepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retransmission sends a peer only what it can still need, judged from what the peer sent, and waits
 * as long as slots take to commit (see {@link Retransmitter} and {@link RetransmitTimeout}).
 */
class RetransmissionTest {
    private final Fixture fx = new Fixture();

    @Test
    void thePrimaryResendsItsPrePrepareOnlyToTheBackupThatNeverAnsweredIt() {
        Replica primary = fx.replica(0);
        for (int i = 0; i < Fixture.BATCH_MAX; i++) {
            primary.submit(request("a", i));
        }
        PrePrepare pp = sent(drain(primary), PrePrepare.class).get(0);
        Digest d = pp.batchDigest();
        primary.step(prepare(1, 0, 1, d));
        primary.step(prepare(2, 0, 1, d));
        primary.step(commit(1, 0, 1, d));
        primary.step(commit(2, 0, 1, d));
        assertThat(drain(primary).committed()).hasSize(1);

        primary.tick(RETRANSMIT);
        Ready ready = drain(primary);
        assertThat(destinations(ready, PrePrepare.class)).containsExactly(3);
        // Nothing a peer sends says that it collected 2f+1 commits: the commit goes to all.
        assertThat(destinations(ready, Commit.class)).containsExactly(Outbound.BROADCAST);
    }

    @Test
    void aBackupSendsNoPrepareToAPeerThatCommittedAndNothingToAPeerWhoseCheckpointCoversTheSlot() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        backup.step(pp);
        backup.step(prepare(2, 0, 1, d)); // prepared: its own prepare and replica 2's
        backup.step(commit(2, 0, 1, d)); // replica 2 committed, so it holds a prepared certificate
        drain(backup);

        backup.tick(RETRANSMIT);
        Ready first = drain(backup);
        assertThat(destinations(first, Prepare.class)).containsExactlyInAnyOrder(0, 3);
        assertThat(destinations(first, Commit.class)).containsExactly(Outbound.BROADCAST);
        assertThat(destinations(first, PrePrepare.class)).isEmpty(); // a backup never sends the primary's

        backup.step(checkpoint(3, Fixture.K, Digest.sha256(new byte[] {1}))); // replica 3 executed it
        backup.tick(3 * RETRANSMIT); // back-off: twice the timeout after the first retransmission
        Ready second = drain(backup);
        assertThat(destinations(second, Prepare.class)).containsExactly(0);
        assertThat(destinations(second, Commit.class)).containsExactlyInAnyOrder(0, 2);
    }

    @Test
    void slotsThatTakeLongerThanTheIntervalToCommitPostponeRetransmission() {
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
        long timeout = backup.retransmitTimeoutMs();
        assertThat(timeout).isEqualTo(Math.min(2 * took, Math.max(RETRANSMIT, Fixture.VIEW_CHANGE_TIMEOUT / 2)))
                .isGreaterThan(RETRANSMIT);
        assertThat(backup.status().retransmitTimeoutMs()).isEqualTo(timeout);

        backup.tick(took + RETRANSMIT); // the configured interval alone would re-send here
        assertThat(sent(drain(backup))).isEmpty();
        backup.tick(took + timeout);
        assertThat(sent(drain(backup), Commit.class)).isNotEmpty();
    }

    @Test
    void aSlotWhoseMessagesWereSentAgainGivesNoSample() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        backup.step(pp);
        backup.tick(RETRANSMIT); // nothing came back: its prepare goes again
        assertThat(sent(drain(backup), Prepare.class)).isNotEmpty();
        backup.tick(RETRANSMIT + 400);
        backup.step(prepare(2, 0, 1, d));
        backup.step(commit(0, 0, 1, d));
        backup.step(commit(2, 0, 1, d));
        assertThat(drain(backup).committed()).hasSize(1);
        // 900 ms from pre-prepare to commit would have raised the timeout; a re-sent slot says nothing.
        assertThat(backup.retransmitTimeoutMs()).isEqualTo(RETRANSMIT);
    }

    private static List<Integer> destinations(Ready ready, Class<? extends PbftMessage> type) {
        return ready.messages().stream().filter(o -> type.isInstance(o.message().message())).map(Outbound::to)
                .toList();
    }
}
