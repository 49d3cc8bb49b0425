package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static io.pbftledger.pbft.core.Fixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios of the view-change protocol, Castro and Liskov section 4.4 and 4.5.2. */
class ViewChangeTest {
    private static final long T = Fixture.VIEW_CHANGE_TIMEOUT;
    private static final ClientRequest A1 = request("a", 1);
    private static final ClientRequest A2 = request("a", 2);
    private static final ClientRequest A3 = request("a", 3);

    /** Backups' request timers run out: the first tick starts them, the second fires them. */
    private static void expireRequestTimers(Cluster c) {
        c.tickAll(c.now + 10);
        c.tickAll(c.now + T);
    }

    private static boolean isCommit(Signed<? extends PbftMessage> m) {
        return m.message() instanceof Commit;
    }

    /**
     * "The new primary ... for each sequence number n between min-s and max-s ... creates a
     * pre-prepare with the digest prepared in the highest view" [4.4]: a request prepared at 2f+1
     * replicas before the primary fails commits at the same sequence number in the new view.
     */
    @Test
    void requestPreparedAtTwoFPlusOneBeforeThePrimaryFailsCommitsAtTheSameSequenceInTheNewView() {
        Cluster c = new Cluster();
        c.filter = (to, m) -> !isCommit(m);
        c.submit(0, A1, A2, A3);
        Digest prepared = c.sentBy(0, PrePrepare.class).get(0).batchDigest();
        assertThat(c.executed.get(1)).isEmpty();
        c.crash(0);
        c.filter = (to, m) -> true;

        expireRequestTimers(c);

        for (int id = 1; id < Fixture.N; id++) {
            assertThat(c.replicas[id].status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
            assertThat(c.replicas[id].status().view()).isEqualTo(1);
            assertThat(c.executed.get(id)).singleElement().satisfies(b -> {
                assertThat(b.sequence()).isEqualTo(1);
                assertThat(b.view()).isEqualTo(1);
                assertThat(b.batchDigest()).isEqualTo(prepared);
                assertThat(b.requests()).containsExactly(A1, A2, A3);
            });
        }
        assertThat(c.sentBy(1, NewView.class)).singleElement()
                .satisfies(nv -> assertThat(nv.prePrepares()).hasSize(1));
    }

    /**
     * VIEW-CHANGE and NEW-VIEW carry their pre-prepares as references (ids, no transactions), as in
     * Castro and Liskov: with whole batches inside, a view change at the height of a loaded cluster
     * needed messages larger than any peer accepts. The replicas that held the batch execute it with
     * its transactions, taken back from their own logs.
     */
    @Test
    void viewChangesCarryReferencesAndReplicasExecuteTheTransactionsTheyHeld() {
        Cluster c = new Cluster();
        c.filter = (to, m) -> !isCommit(m);
        c.submit(0, A1, A2, A3);
        c.crash(0);
        c.filter = (to, m) -> true;

        expireRequestTimers(c);

        List<ClientRequest> carried = new ArrayList<>();
        for (int id = 1; id < Fixture.N; id++) {
            for (ViewChange vc : c.sentBy(id, ViewChange.class)) {
                assertThat(vc.prepared()).isNotEmpty();
                vc.prepared().forEach(p -> carried.addAll(p.prePrepare().message().batch()));
            }
        }
        NewView nv = c.sentBy(1, NewView.class).get(0);
        nv.viewChanges().forEach(v -> v.message().prepared().forEach(p -> carried.addAll(p.prePrepare().message().batch())));
        nv.prePrepares().forEach(pp -> carried.addAll(pp.message().batch()));
        assertThat(carried).isNotEmpty().allSatisfy(r -> {
            assertThat(r.isReference()).isTrue();
            assertThat(r.size()).isZero();
        });
        for (int id = 1; id < Fixture.N; id++) {
            assertThat(c.executed.get(id)).singleElement().satisfies(b -> {
                assertThat(b.requests()).containsExactly(A1, A2, A3);
                assertThat(b.requests()).extracting(ClientRequest::body)
                        .containsExactly(A1.body(), A2.body(), A3.body());
            });
        }
    }

    /**
     * A replica that never received a batch's pre-prepare cannot fill the NEW-VIEW's reference: it
     * still prepares and commits the entry (votes name the digest), then fetches the committed batch
     * from a peer (catchUpTarget), and is in state transfer until it has.
     */
    @Test
    void aReplicaWithoutTheTransactionsCommitsTheEntryAndFetchesTheCommittedBatch() {
        Cluster c = new Cluster();
        c.filter = (to, m) -> !isCommit(m) && !(to == 3 && m.message() instanceof PrePrepare);
        c.submit(0, A1, A2, A3);
        c.crash(0);
        c.filter = (to, m) -> true;

        expireRequestTimers(c);

        Replica lacking = c.replicas[3];
        assertThat(c.executed.get(1)).singleElement()
                .satisfies(b -> assertThat(b.requests()).containsExactly(A1, A2, A3));
        assertThat(c.executed.get(3)).as("committed, transactions missing").isEmpty();
        assertThat(c.sentBy(3, Commit.class)).anySatisfy(m -> assertThat(m.view()).isEqualTo(1));
        assertThat(lacking.catchUpTarget()).hasValue(1);
        assertThat(lacking.status().status()).isEqualTo(ReplicaStatus.Status.STATE_TRANSFER);

        lacking.deliverCertified(c.executedAt(1, 1));
        c.pump(3);

        assertThat(c.executed.get(3)).singleElement().satisfies(b -> {
            assertThat(b.view()).isEqualTo(1);
            assertThat(b.requests()).extracting(ClientRequest::body).containsExactly(A1.body(), A2.body(), A3.body());
        });
        assertThat(lacking.catchUpTarget()).isEmpty();
        assertThat(lacking.status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
    }

    /**
     * The journal holds the NEW-VIEW (O as references) and then the entry as installed, with the
     * transactions the replica found: after a restart it executes from its own log, fetching nothing.
     */
    @Test
    void aRestartedBackupKeepsTheTransactionsItFoundForTheNewViewEntries() {
        Cluster c = new Cluster();
        c.filter = (to, m) -> !isCommit(m);
        c.submit(0, A1, A2, A3);
        c.crash(0);
        expireRequestTimers(c);
        assertThat(c.replicas[2].status().view()).isEqualTo(1);
        assertThat(c.replicas[2].status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        assertThat(c.executed.get(2)).as("commits are still lost").isEmpty();

        c.crash(2);
        c.restart(2);
        c.filter = (to, m) -> true;
        c.tickAll(c.now + Fixture.RETRANSMIT);
        c.tickAll(c.now + 2 * Fixture.RETRANSMIT);

        assertThat(c.executed.get(2)).singleElement().satisfies(b -> {
            assertThat(b.view()).isEqualTo(1);
            assertThat(b.requests()).extracting(ClientRequest::body).containsExactly(A1.body(), A2.body(), A3.body());
        });
        assertThat(c.replicas[2].catchUpTarget()).isEmpty();
    }

    /**
     * A pre-prepare is a proposal and must carry its batch: one with references is refused, so a
     * faulty primary cannot make backups vote on transactions they never checked outside a view change.
     */
    @Test
    void aPrePrepareWithReferencesIsRefused() {
        Cluster c = new Cluster();
        Replica backup = c.replicas[1];
        PrePrepare full = Fixture.prePrepare(0, 0, 1, 5, A1, A2).message();
        Signed<PrePrepare> references = signed(full.withoutBodies());

        backup.step(references);

        assertThat(drops(backup, DropReason.INVALID_BATCH)).isEqualTo(1);
        assertThat(sent(drain(backup))).isEmpty();
    }

    /**
     * "If there is no such set [a prepared certificate for n] the primary creates a null request"
     * [4.4], but a committed request was prepared at 2f+1 replicas, so it is in O: a null request
     * never replaces a committed one, and nothing executed is executed again.
     */
    @Test
    void nullRequestFillsAGapButNeverReplacesACommittedRequest() {
        Cluster c = new Cluster();
        c.submit(0, A1, A2, A3); // sequence 1 commits everywhere
        ClientRequest b1 = request("b", 1);
        ClientRequest b2 = request("b", 2);
        ClientRequest b3 = request("b", 3);
        // Sequence 2: its prepares are lost, so it prepares nowhere.
        c.filter = (to, m) -> !(m.message() instanceof Prepare p && p.sequence() == 2) && !isCommit(m);
        c.submit(0, b1, b2, b3);
        // Sequence 3 prepares at replicas 1 and 2 (and the primary), but commits nowhere.
        ClientRequest c1 = request("c", 1);
        c.submit(0, c1, request("c", 2), request("c", 3));
        c.crash(0);
        c.filter = (to, m) -> true;

        expireRequestTimers(c);

        for (int id = 1; id < Fixture.N; id++) {
            List<CommittedBatch> done = c.executed.get(id);
            assertThat(done).extracting(CommittedBatch::sequence).startsWith(1L, 2L, 3L);
            assertThat(done.get(0).requests()).containsExactly(A1, A2, A3);
            assertThat(done.get(1).requests()).as("null request").isEmpty();
            assertThat(done.get(2).requests()).startsWith(c1);
        }
        // The requests of the lost sequence 2 are not stuck: the backups that held them in the old
        // view's pre-prepare relay them to the new primary, which orders them again, once.
        assertThat(c.executedAt(2, 4)).isNotNull().satisfies(b -> assertThat(b.requests()).containsExactly(b1, b2, b3));
        assertThat(c.executed.get(2)).extracting(CommittedBatch::sequence).containsExactly(1L, 2L, 3L, 4L);
    }

    /** "Backups ... check the correctness of O by performing a computation similar to the one used by the primary" [4.4]. */
    @Test
    void newViewWithAWrongOIsRejected() {
        Cluster c = new Cluster();
        c.filter = (to, m) -> !isCommit(m);
        c.submit(0, A1, A2, A3);
        c.crash(0);
        c.filter = (to, m) -> !(m.message() instanceof NewView);
        expireRequestTimers(c);
        Replica backup = c.replicas[2];
        assertThat(backup.status().status()).isEqualTo(ReplicaStatus.Status.VIEW_CHANGE);

        List<Signed<ViewChange>> v = new ArrayList<>();
        for (int id = 1; id < Fixture.N; id++) {
            v.add(signed(c.sentBy(id, ViewChange.class).get(0)));
        }
        List<ViewChange> plain = v.stream().map(Signed::message).toList();
        List<PrePrepare> correctO = NewViewBuilder.computeO(1, 1, plain);
        assertThat(correctO).singleElement().satisfies(pp -> assertThat(pp.batch()).containsExactly(A1, A2, A3));

        long ts = correctO.get(0).timestamp();
        PrePrepare nullInstead = new PrePrepare(1, 1, 1, ts, BatchDigest.ofRequests(ts, List.of()), List.of());
        backup.step(signed(new NewView(1, 1, v, List.of(signed(nullInstead)))));
        assertThat(drops(backup, DropReason.INVALID_NEW_VIEW)).isEqualTo(1);
        // Also refused: an O that stops early, and a NEW-VIEW from a replica that is not the new primary.
        backup.step(signed(new NewView(1, 1, v, List.of())));
        backup.step(signed(new NewView(3, 1, v, List.of(signed(correctO.get(0))))));
        assertThat(drops(backup, DropReason.INVALID_NEW_VIEW)).isEqualTo(3);
        assertThat(backup.status().status()).isEqualTo(ReplicaStatus.Status.VIEW_CHANGE);

        backup.step(signed(new NewView(1, 1, v, List.of(signed(correctO.get(0))))));
        assertThat(backup.status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        assertThat(backup.status().view()).isEqualTo(1);
        assertThat(sent(drain(backup), Prepare.class)).singleElement()
                .satisfies(p -> assertThat(p.batchDigest()).isEqualTo(correctO.get(0).batchDigest()));
    }

    /**
     * Defence in depth: even if more than f replicas lie (here 0, 1 and 2 sign a prepared certificate
     * for another batch), a replica never votes in a new view for a batch other than the one it
     * already executed at that sequence.
     */
    @Test
    void aReplicaNeverPreparesANewViewEntryThatConflictsWithABatchItExecuted() {
        Replica honest = new Fixture().replica(3);
        Fixture.commitAt(honest, 3, 1, 0, A1);
        Signed<PrePrepare> other = Fixture.prePrepare(0, 0, 1, 0, A2);
        Digest d = other.message().batchDigest();
        PreparedProof forged = new PreparedProof(other, List.of(Fixture.prepare(1, 0, 1, d), Fixture.prepare(2, 0, 1, d)));
        List<Signed<ViewChange>> v = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            v.add(signed(new ViewChange(id, 1, 0, List.of(), List.of(forged))));
        }
        List<PrePrepare> o = NewViewBuilder.computeO(1, 1, v.stream().map(Signed::message).toList());
        honest.step(signed(new NewView(1, 1, v, List.of(signed(o.get(0))))));

        assertThat(honest.status().view()).isEqualTo(1);
        assertThat(drops(honest, DropReason.CONFLICTS_WITH_DELIVERED)).isEqualTo(1);
        assertThat(sent(drain(honest), Prepare.class)).isEmpty();
    }

    /** A replica whose VIEW-CHANGE shows an older stable checkpoint gets the proof of ours, so it can catch up. */
    @Test
    void aViewChangeWithAnOlderStableCheckpointIsAnsweredWithTheProofOfOurs() {
        Digest state = Digest.sha256(new byte[] {10});
        List<Signed<Checkpoint>> proof = List.of(Fixture.checkpoint(0, 10, state), Fixture.checkpoint(1, 10, state),
                Fixture.checkpoint(3, 10, state));
        Replica ahead = new Fixture().replica(3, new RecoveredState(0, 10, 0, new StableCheckpoint(10, state, proof),
                List.of()));
        drain(ahead);
        ahead.step(emptyViewChange(2, 1));
        Ready ready = drain(ahead);
        assertThat(ready.messages()).filteredOn(out -> out.message().message() instanceof Checkpoint)
                .extracting(Outbound::to).containsOnly(2);
        assertThat(sent(ready, Checkpoint.class)).extracting(Checkpoint::replica).containsExactlyInAnyOrder(0, 1, 3);
        // Rate-limited: a second VIEW-CHANGE right after gets nothing.
        ahead.step(emptyViewChange(2, 2));
        assertThat(sent(drain(ahead), Checkpoint.class)).isEmpty();
    }

    private static Signed<ViewChange> emptyViewChange(int replica, long view) {
        return signed(new ViewChange(replica, view, 0, List.of(), List.of()));
    }

    /** "If a replica receives a set of f+1 valid VIEW-CHANGE messages ... for views greater than its current view, it sends a VIEW-CHANGE ... for the smallest view in the set" [4.5.2]. */
    @Test
    void fPlusOneViewChangesPullALaggingReplicaIntoTheSmallestHigherView() {
        Replica lagging = new Fixture().replica(3);
        lagging.step(emptyViewChange(1, 3));
        assertThat(lagging.status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        lagging.step(emptyViewChange(2, 2));
        ReplicaStatus status = lagging.status();
        assertThat(status.status()).isEqualTo(ReplicaStatus.Status.VIEW_CHANGE);
        assertThat(status.viewChangeTarget()).isEqualTo(2);
        Ready ready = drain(lagging);
        assertThat(sent(ready, ViewChange.class)).singleElement().satisfies(vc -> assertThat(vc.newView()).isEqualTo(2));
        assertThat(ready.persist()).anyMatch(s -> s.message() instanceof ViewChange);
    }

    /** "Faulty replicas cannot cause a view change by sending VIEW-CHANGE messages" alone: f of them are not enough. */
    @Test
    void fViewChangesDoNotPullAReplica() {
        Replica replica = new Fixture().replica(3);
        replica.step(emptyViewChange(1, 1));
        replica.step(emptyViewChange(1, 5)); // the same faulty replica again, for another view
        replica.tick(10 * T); // and no request is pending, so no timer runs
        assertThat(replica.status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        assertThat(replica.status().view()).isZero();
        assertThat(sent(drain(replica), ViewChange.class)).isEmpty();
    }

    /**
     * "If the client does not receive replies soon enough, it broadcasts the request to all replicas"
     * [4.1]: a backup whose timer expires does that for a request only it received, so the other
     * backups watch it too and f+1 of them can move the view on without the client's help.
     */
    @Test
    void aBackupWhoseTimerExpiresSharesTheRequestsItWaitsForWithEveryReplica() {
        Replica backup = new Fixture().replica(3);
        backup.submit(A1);
        drain(backup);
        backup.tick(1);
        backup.tick(1 + T);
        Ready ready = drain(backup);
        assertThat(sent(ready, ViewChange.class)).isNotEmpty().allSatisfy(vc -> assertThat(vc.newView()).isEqualTo(1));
        assertThat(ready.messages()).filteredOn(o -> o.message().message() instanceof Forward)
                .filteredOn(o -> o.to() == Outbound.BROADCAST).singleElement()
                .satisfies(o -> assertThat(((Forward) o.message().message()).requests()).containsExactly(A1));

        Replica other = new Fixture().replica(2);
        other.step(signed(new Forward(3, List.of(A1))));
        drain(other);
        other.tick(2);
        other.tick(2 + T);
        assertThat(sent(drain(other), ViewChange.class)).as("the other backup's timer ran for the shared request")
                .isNotEmpty().allSatisfy(vc -> assertThat(vc.newView()).isEqualTo(1));
    }

    /**
     * A request the old primary pre-prepared but that never prepared is in no P set and so not in O:
     * after the view change the backup that holds it relays it to the new primary, so it still commits.
     */
    @Test
    void aRequestOfAnUncommittedOldViewPrePrepareIsRelayedToTheNewPrimary() {
        Replica backup = new Fixture().replica(3);
        backup.step(Fixture.prePrepare(0, 0, 1, 0, A1));
        drain(backup);
        List<Signed<ViewChange>> v = List.of(emptyViewChange(0, 1), emptyViewChange(1, 1), emptyViewChange(2, 1));
        backup.step(signed(new NewView(1, 1, v, List.of())));
        assertThat(backup.status().view()).isEqualTo(1);
        assertThat(backup.status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        assertThat(drain(backup).messages()).filteredOn(o -> o.message().message() instanceof Forward)
                .singleElement().satisfies(o -> {
                    assertThat(o.to()).isEqualTo(1);
                    assertThat(((Forward) o.message().message()).requests()).containsExactly(A1);
                });
    }

    @Test
    void aReplicaChangingIntoAViewItLeadsNeverForwardsRequestsToItself() {
        Replica next = new Fixture().replica(1); // primary of view 1
        next.submit(A1);
        drain(next);
        next.tick(1);
        next.tick(1 + T);
        drain(next);
        assertThat(next.status().status()).isEqualTo(ReplicaStatus.Status.VIEW_CHANGE);
        next.submit(A2);
        next.tick(2 + 2 * T);
        assertThat(drain(next).messages()).noneMatch(o -> o.to() == 1);
    }

    /**
     * A replica that moved to a higher view alone (the others still work in view 0) must not hold its
     * clients' requests until the next view change: it forwards them to the primary of the last view
     * it entered, which still orders them.
     */
    @Test
    void aReplicaChangingViewAloneForwardsNewRequestsToThePrimaryOfItsLastView() {
        Replica alone = new Fixture().replica(1); // would lead view 1
        alone.submit(A1);
        drain(alone);
        alone.tick(1);
        alone.tick(1 + T);
        drain(alone);
        assertThat(alone.status().status()).isEqualTo(ReplicaStatus.Status.VIEW_CHANGE);
        alone.submit(A2);
        Ready ready = drain(alone);
        assertThat(ready.messages()).filteredOn(o -> o.message().message() instanceof Forward).singleElement()
                .satisfies(o -> {
                    assertThat(o.to()).isEqualTo(0);
                    assertThat(((Forward) o.message().message()).requests()).containsExactly(A2);
                });
    }

    /** A backup in view-change state with 2f+1 VIEW-CHANGEs for the target view, its new-view timer running. */
    private static Replica backupWaitingForNewView(long[] clock) {
        Replica backup = new Fixture().replica(3);
        backup.submit(A1); // relayed to the primary and watched
        drain(backup);
        backup.tick(clock[0] = 1);
        assertThat(backup.viewChangeTimeoutMs()).isEqualTo(T);
        backup.tick(clock[0] += T - 1);
        assertThat(sent(drain(backup), ViewChange.class)).isEmpty();
        backup.tick(clock[0] += 1);
        assertThat(sent(drain(backup), ViewChange.class)).singleElement()
                .satisfies(vc -> assertThat(vc.newView()).isEqualTo(1));
        backup.step(emptyViewChange(1, 1));
        backup.step(emptyViewChange(2, 1));
        return backup;
    }

    /** "If the timer expires before it receives a valid NEW-VIEW ... it starts the view change for view v+2 but this time it will wait 4T" [4.5.2]. */
    @Test
    void timeoutsDoubleAcrossFailedViewsAndResetAfterProgress() {
        long[] clock = new long[1];
        Replica backup = backupWaitingForNewView(clock);
        assertThat(backup.viewChangeTimeoutMs()).isEqualTo(2 * T);
        backup.tick(clock[0] += 2 * T - 1);
        // (Only retransmissions of the VIEW-CHANGE for view 1 so far.)
        assertThat(sent(drain(backup), ViewChange.class)).allSatisfy(vc -> assertThat(vc.newView()).isEqualTo(1));
        backup.tick(clock[0] += 1);
        Ready ready = drain(backup);
        assertThat(sent(ready, ViewChange.class)).singleElement().satisfies(vc -> assertThat(vc.newView()).isEqualTo(2));
        assertThat(backup.viewChangeTimeoutMs()).isEqualTo(4 * T);

        // View 2 starts (primary 2) and commits a batch: the timeout is back to T.
        Signed<ViewChange> own = signed(sent(ready, ViewChange.class).get(0));
        List<Signed<ViewChange>> v = List.of(emptyViewChange(1, 2), emptyViewChange(2, 2), own);
        backup.step(signed(new NewView(2, 2, v, List.of())));
        assertThat(backup.status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        Signed<PrePrepare> pp = Fixture.prePrepare(2, 2, 1, clock[0], A1);
        Digest d = pp.message().batchDigest();
        backup.step(pp);
        backup.step(Fixture.prepare(1, 2, 1, d));
        backup.step(Fixture.commit(1, 2, 1, d));
        backup.step(Fixture.commit(2, 2, 1, d));
        assertThat(drain(backup).committed()).hasSize(1);
        assertThat(backup.viewChangeTimeoutMs()).isEqualTo(T);
    }

    /** "A replica accepts [a message] only if ... it is in view v": after the view change, view-0 messages are dropped. */
    @Test
    void oldViewMessageIsDroppedAfterTheViewChange() {
        Cluster c = new Cluster();
        c.filter = (to, m) -> !isCommit(m);
        c.submit(0, A1, A2, A3);
        Digest d = c.sentBy(0, PrePrepare.class).get(0).batchDigest();
        c.crash(0);
        c.filter = (to, m) -> true;
        expireRequestTimers(c);
        Replica backup = c.replicas[2];
        long before = drops(backup, DropReason.OLD_VIEW);
        backup.step(Fixture.commit(0, 0, 1, d));
        backup.step(Fixture.prePrepare(0, 0, 2, 5, request("z", 1)));
        assertThat(drops(backup, DropReason.OLD_VIEW)).isEqualTo(before + 2);
    }

    /** While changing view a replica "accepts only CHECKPOINT, VIEW-CHANGE and NEW-VIEW messages" [4.4]. */
    @Test
    void replicaChangingViewAcceptsOnlyCheckpointViewChangeAndNewView() {
        long[] clock = new long[1];
        Replica backup = backupWaitingForNewView(clock);
        Signed<PrePrepare> pp = Fixture.prePrepare(1, 1, 1, 1, A1);
        backup.step(pp);
        backup.step(Fixture.prepare(2, 1, 1, pp.message().batchDigest()));
        assertThat(drops(backup, DropReason.IN_VIEW_CHANGE)).isEqualTo(2);
        assertThat(backup.status().missingForQuorum()).containsExactly(0);
        assertThat(drain(backup).messages()).isEmpty();
    }
}
