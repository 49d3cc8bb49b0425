package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.commit;
import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.prePrepare;
import static io.pbftledger.pbft.core.Fixture.prepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three phases of Castro and Liskov section 4.2, one rule per test. */
class NormalCaseTest {
    private final Fixture fx = new Fixture();

    @Test
    void backupAcceptsPrePrepareOnlyInCurrentView() {
        Replica backup = fx.replica(3, new RecoveredState(1, 0, 0)); // view 1: primary is replica 1
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1)));
        backup.step(prePrepare(2, 2, 1, 0, request("a", 1)));
        assertThat(drops(backup, DropReason.OLD_VIEW)).isEqualTo(1);
        assertThat(drops(backup, DropReason.FUTURE_VIEW)).isEqualTo(1);
        assertThat(sent(drain(backup))).isEmpty();

        backup.step(prePrepare(1, 1, 1, 0, request("a", 1)));
        assertThat(sent(drain(backup), Prepare.class)).singleElement()
                .satisfies(p -> assertThat(p.view()).isEqualTo(1));
    }

    @Test
    void backupAcceptsPrePrepareOnlyFromThePrimaryOfTheView() {
        Replica backup = fx.replica(1);
        backup.step(prePrepare(2, 0, 1, 0, request("a", 1)));
        assertThat(drops(backup, DropReason.WRONG_PRIMARY)).isEqualTo(1);
        assertThat(backup.hasReady()).isFalse();
    }

    @Test
    void backupRejectsConflictingPrePrepareForSameViewAndSequence() {
        Replica backup = fx.replica(1);
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1)));
        drain(backup);
        backup.step(prePrepare(0, 0, 1, 0, request("b", 1)));
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1)));
        assertThat(drops(backup, DropReason.CONFLICTING_PRE_PREPARE)).isEqualTo(1);
        assertThat(drops(backup, DropReason.DUPLICATE)).isEqualTo(1);
        assertThat(sent(drain(backup))).isEmpty();
    }

    @Test
    void backupRejectsPrePrepareWhoseDigestDoesNotMatchTheBatch() {
        Replica backup = fx.replica(1);
        PrePrepare honest = prePrepare(0, 0, 1, 0, request("a", 1)).message();
        PrePrepare lying = new PrePrepare(0, 0, 1, 0, Digest.sha256(new byte[] {9}), honest.batch());
        backup.step(Fixture.signed(lying));
        // The digest also binds the timestamp: the same ids at another time are another batch.
        backup.step(Fixture.signed(new PrePrepare(0, 0, 1, 5, honest.batchDigest(), honest.batch())));
        assertThat(drops(backup, DropReason.BAD_BATCH_DIGEST)).isEqualTo(2);
        assertThat(backup.hasReady()).isFalse();
    }

    @Test
    void backupPreparesAndLogsAnAcceptedPrePrepareBeforeSending() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        backup.step(pp);
        Ready ready = drain(backup);
        assertThat(ready.persist()).hasSize(2).first().isEqualTo(pp);
        assertThat(ready.persist().get(1).message()).isInstanceOf(Prepare.class);
        assertThat(ready.messages()).singleElement().satisfies(o -> {
            assertThat(o.isBroadcast()).isTrue();
            assertThat(o.message()).isSameAs(ready.persist().get(1));
        });
    }

    @Test
    void preparedRequiresTwoFMatchingPreparesFromDistinctBackups() {
        Replica primary = fx.replica(0);
        primary.submit(request("a", 1));
        primary.submit(request("a", 2));
        primary.submit(request("a", 3));
        Digest d = sent(drain(primary), PrePrepare.class).get(0).batchDigest();

        primary.step(prepare(1, 0, 1, d));
        primary.step(prepare(1, 0, 1, d));
        primary.step(prepare(2, 0, 1, Digest.sha256(new byte[] {7})));
        assertThat(drops(primary, DropReason.DUPLICATE)).isEqualTo(1);
        assertThat(sent(drain(primary), Commit.class)).isEmpty();

        primary.step(prepare(3, 0, 1, d));
        assertThat(sent(drain(primary), Commit.class)).singleElement()
                .satisfies(c -> assertThat(c.batchDigest()).isEqualTo(d));
    }

    @Test
    void primaryPrepareIsNotCounted() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        backup.step(pp);
        backup.step(prepare(0, 0, 1, d));
        assertThat(drops(backup, DropReason.PREPARE_FROM_PRIMARY)).isEqualTo(1);
        assertThat(sent(drain(backup), Commit.class)).isEmpty();
        backup.step(prepare(2, 0, 1, d));
        assertThat(sent(drain(backup), Commit.class)).hasSize(1);
    }

    @Test
    void commitsOnlyAfterTwoFPlusOneMatchingCommits() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        backup.step(pp);
        backup.step(prepare(2, 0, 1, d));
        backup.step(commit(3, 0, 1, Digest.sha256(new byte[] {1})));
        assertThat(drain(backup).committed()).isEmpty();
        backup.step(commit(2, 0, 1, d));
        assertThat(drain(backup).committed()).isEmpty();
        backup.step(commit(0, 0, 1, d));
        Ready ready = drain(backup);
        assertThat(ready.committed()).singleElement().satisfies(b -> {
            assertThat(b.sequence()).isEqualTo(1);
            assertThat(b.batchDigest()).isEqualTo(d);
            assertThat(b.primary()).isZero();
            assertThat(b.requests()).containsExactly(request("a", 1));
            assertThat(b.certificate()).extracting(s -> s.message().replica()).containsExactly(0, 1, 2);
        });
    }

    @Test
    void commitCertificateHasExactlyTwoFPlusOneSortedCommitsIncludingItsOwn() {
        Replica backup = fx.replica(3);
        Ready ready = Fixture.commitAt(backup, 3, 1, 0, request("a", 1));
        assertThat(ready.committed()).singleElement().satisfies(b -> assertThat(b.certificate())
                .extracting(s -> s.message().replica()).containsExactly(0, 1, 3));
    }

    @Test
    void keepsPreparesAndCommitsThatArriveBeforeThePrePrepare() {
        Replica backup = fx.replica(1);
        Signed<PrePrepare> pp = prePrepare(0, 0, 1, 0, request("a", 1));
        Digest d = pp.message().batchDigest();
        backup.step(prepare(2, 0, 1, d));
        backup.step(commit(2, 0, 1, d));
        backup.step(commit(3, 0, 1, d));
        assertThat(drain(backup).messages()).isEmpty();
        backup.step(pp);
        Ready ready = drain(backup);
        assertThat(sent(ready, Prepare.class)).hasSize(1);
        assertThat(sent(ready, Commit.class)).hasSize(1);
        assertThat(ready.committed()).hasSize(1);
    }

    @Test
    void executesStrictlyInSequenceOrder() {
        Replica backup = fx.replica(1);
        assertThat(Fixture.commitAt(backup, 1, 2, 10, request("b", 1)).committed()).isEmpty();
        assertThat(Fixture.commitAt(backup, 1, 3, 20, request("c", 1)).committed()).isEmpty();
        Ready ready = Fixture.commitAt(backup, 1, 1, 0, request("a", 1));
        assertThat(ready.committed()).extracting(CommittedBatch::sequence).containsExactly(1L, 2L, 3L);
        assertThat(Fixture.commitAt(backup, 1, 4, 30, request("d", 1)).committed())
                .extracting(CommittedBatch::sequence).containsExactly(4L);
    }

    @Test
    void dropsMessagesOutsideWatermarks() {
        Replica backup = fx.replica(1);
        backup.step(prePrepare(0, 0, Fixture.L + 1, 0, request("a", 1)));
        backup.step(prepare(2, 0, 0, Digest.ZERO));
        backup.step(commit(2, 0, Fixture.L + 5, Digest.ZERO));
        assertThat(drops(backup, DropReason.OUTSIDE_WINDOW)).isEqualTo(3);
        backup.step(prepare(2, 0, Fixture.L, Digest.ZERO));
        assertThat(drops(backup, DropReason.OUTSIDE_WINDOW)).isEqualTo(3);
        assertThat(backup.retainedSlots()).isEqualTo(1);
    }

    @Test
    void dropsAMessageThatClaimsToComeFromItself() {
        Replica backup = fx.replica(1);
        backup.step(prepare(1, 0, 1, Digest.ZERO));
        assertThat(drops(backup, DropReason.OWN_MESSAGE)).isEqualTo(1);
    }

    @Test
    void countsConflictingVotesFromOneReplicaOnce() {
        Replica backup = fx.replica(1);
        backup.step(commit(2, 0, 1, Digest.ZERO));
        backup.step(commit(2, 0, 1, Digest.sha256(new byte[] {1})));
        assertThat(drops(backup, DropReason.CONFLICTING_VOTE)).isEqualTo(1);
    }

    @Test
    void readyMustBeAdvancedBeforeTheNextReady() {
        Replica primary = fx.replica(0);
        primary.submit(request("a", 1));
        primary.tick(Fixture.DELAY);
        Ready first = primary.ready();
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(primary::ready);
        primary.advance(first);
        assertThat(primary.hasReady()).isFalse();
    }

    @Test
    void batchDigestBindsTimestampAndOrder() {
        Digest a = request("a", 1).id();
        Digest b = request("b", 1).id();
        assertThat(BatchDigest.of(1, List.of(a, b))).isNotEqualTo(BatchDigest.of(1, List.of(b, a)))
                .isNotEqualTo(BatchDigest.of(2, List.of(a, b)));
    }
}
