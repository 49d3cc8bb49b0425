package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.RETRANSMIT;
import static io.pbftledger.pbft.core.Fixture.commit;
import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.prePrepare;
import static io.pbftledger.pbft.core.Fixture.prepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static io.pbftledger.pbft.core.Fixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.Status;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A backup that never receives the primary's PRE-PREPAREs (a dead link, or a faulty primary leaving it
 * out on purpose) while 2f+1 others commit around it: it holds their PREPAREs and COMMITs, so it knows
 * the quorum moved past sequences it cannot execute. It must catch up within a bounded time without
 * waiting for the next checkpoint: its STATUS gets it the primary's signed pre-prepare from another
 * backup, and a commit quorum it cannot use for long makes it fetch the certified batch.
 */
class StarvedBackupTest {
    private static final int STARVED = 2;

    @Test
    void aBackupThePrimaryCannotReachCatchesUpFromTheOtherBackupsWithinTwoRetransmitIntervals() {
        Cluster c = new Cluster();
        c.links = s -> !(s.from() == 0 && s.to() == STARVED); // replica 0's sender to replica 2 died
        for (int i = 0; i < 3 * Fixture.BATCH_MAX; i++) {
            c.submit(0, request("a", i));
        }
        assertThat(c.executed.get(1)).hasSize(3);
        assertThat(c.executed.get(STARVED)).isEmpty(); // today it stays here until a checkpoint

        c.tickAll(RETRANSMIT);
        c.tickAll(2 * RETRANSMIT);

        assertThat(digests(c, STARVED)).isEqualTo(digests(c, 1));
    }

    @Test
    void aPrimaryThatLeavesOneBackupOutOfItsPrePreparesDoesNotKeepItBehind() {
        Cluster c = new Cluster();
        // A faulty primary: it sends that backup every vote, and answers its STATUS, but never a PRE-PREPARE.
        c.links = s -> !(s.from() == 0 && s.to() == STARVED && s.message().message() instanceof PrePrepare);
        long time = 0;
        int nonce = 0;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < Fixture.BATCH_MAX; i++) {
                c.submit(0, request("a", nonce++));
            }
            assertThat(c.executed.get(STARVED)).hasSize(round); // it misses each new batch ...
            time += RETRANSMIT;
            c.tickAll(time);
            assertThat(digests(c, STARVED)).isEqualTo(digests(c, 1)); // ... and has it one interval later
        }
        assertThat(c.executed.get(1)).hasSize(5);
    }

    @Test
    void aCommitQuorumForASlotWithoutPrePrepareBecomesACatchUpTargetAfterTwoRetransmitTimeouts() {
        Replica backup = new Fixture().replica(STARVED);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        for (int r : new int[] {0, 1, 3}) {
            backup.step(commit(r, 0, 1, d));
        }
        drain(backup);
        assertThat(backup.catchUpTarget()).isEmpty(); // the pre-prepare may simply be late

        backup.tick(2 * RETRANSMIT - 1);
        assertThat(backup.catchUpTarget()).isEmpty();
        backup.tick(2 * RETRANSMIT);
        assertThat(backup.catchUpTarget()).isEqualTo(OptionalLong.of(1));

        // What a peer serves is accepted only with its certificate: the same 2f+1 commits.
        backup.deliverCertified(new CommittedBatch(0, 1, 0, 0, d, pp.message().batch(),
                List.of(commit(0, 0, 1, d), commit(1, 0, 1, d), commit(3, 0, 1, d))));
        assertThat(drain(backup).committed()).singleElement().satisfies(b -> assertThat(b.batchDigest()).isEqualTo(d));
        assertThat(backup.catchUpTarget()).isEmpty();
    }

    @Test
    void aBackupThePrimaryGaveAnotherBatchThanTheQuorumCommittedFetchesTheCommittedOne() {
        Replica backup = new Fixture().replica(STARVED);
        Signed<PrePrepare> toOthers = prePrepare(0, 0, 1, 0, request("a", 1));
        Signed<PrePrepare> toThisOne = prePrepare(0, 0, 1, 1, request("a", 1)); // same request, another digest
        Digest d = toOthers.message().batchDigest();
        backup.step(toThisOne);
        for (int r : new int[] {0, 1, 3}) {
            backup.step(commit(r, 0, 1, d));
        }
        drain(backup);
        backup.step(toOthers); // relayed by a backup: refused, the slot holds the other one
        assertThat(Fixture.drops(backup, DropReason.CONFLICTING_PRE_PREPARE)).isEqualTo(1);

        backup.tick(2 * RETRANSMIT);
        assertThat(backup.catchUpTarget()).isEqualTo(OptionalLong.of(1));
        backup.deliverCertified(new CommittedBatch(0, 1, 0, 0, d, toOthers.message().batch(),
                List.of(commit(0, 0, 1, d), commit(1, 0, 1, d), commit(3, 0, 1, d))));
        assertThat(drain(backup).committed()).singleElement().satisfies(b -> assertThat(b.batchDigest()).isEqualTo(d));
    }

    @Test
    void fewerThanAQuorumOfCommitsIsNoReasonToFetch() {
        Replica backup = new Fixture().replica(STARVED);
        Digest d = prePrepare(0, 0, 1, 0, request("a", 1)).message().batchDigest();
        backup.step(commit(0, 0, 1, d));
        backup.step(commit(1, 0, 1, d)); // f+1: perhaps a faulty one among them
        backup.tick(10 * RETRANSMIT);
        assertThat(backup.catchUpTarget()).isEmpty();
    }

    @Test
    void oneBackupRelaysThePrimarysPrePrepareOfACommittedSlotToAPeerThatShowsNoVoteForIt() {
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Replica one = committedWithout(1, STARVED, pp);
        Replica three = committedWithout(3, STARVED, pp);

        one.step(signed(new Status(STARVED, 0, 0)));
        three.step(signed(new Status(STARVED, 0, 0)));
        // The first backup after the asker (skipping the primary) relays it; the primary sends its own.
        assertThat(sent(drain(three), PrePrepare.class)).containsExactly(pp.message());
        assertThat(sent(drain(one), PrePrepare.class)).isEmpty();

        // Asking again from the same point, it did not get it (that backup may be faulty): all relay.
        one.tick(RETRANSMIT);
        drain(one);
        one.step(signed(new Status(STARVED, 0, 0)));
        assertThat(sent(drain(one), PrePrepare.class)).containsExactly(pp.message());
    }

    @Test
    void aPeerThatVotedForTheSlotHoldsItsPrePrepareAndGetsItFromNoBackup() {
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Replica one = committedWithout(1, STARVED, pp);
        one.step(prepare(STARVED, 0, 1, pp.message().batchDigest())); // late, but it shows replica 2 has it
        drain(one);
        one.step(signed(new Status(STARVED, 0, 0)));
        assertThat(sent(drain(one), PrePrepare.class)).isEmpty();
        // Nor is a pre-prepare relayed for a slot the backup has not committed.
        Replica three = new Fixture().replica(3);
        three.step(pp);
        drain(three);
        three.step(signed(new Status(STARVED, 0, 0)));
        assertThat(sent(drain(three), PrePrepare.class)).isEmpty();
    }

    /** Backup {@code self} commits {@code pp} with the votes of everybody but {@code absent}. */
    private static Replica committedWithout(int self, int absent, Signed<PrePrepare> pp) {
        Replica r = new Fixture().replica(self);
        Digest d = pp.message().batchDigest();
        r.step(pp);
        for (int i = 0; i < Fixture.N; i++) {
            if (i != self && i != absent) {
                if (i != 0) {
                    r.step(prepare(i, 0, 1, d));
                }
                r.step(commit(i, 0, 1, d));
            }
        }
        assertThat(drain(r).committed()).hasSize(1);
        return r;
    }

    private static List<Digest> digests(Cluster c, int id) {
        return c.executed.get(id).stream().map(CommittedBatch::batchDigest).toList();
    }
}
