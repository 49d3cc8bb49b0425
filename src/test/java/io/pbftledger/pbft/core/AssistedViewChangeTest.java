package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static io.pbftledger.pbft.core.Fixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A correct replica that left its view alone (its VIEW-CHANGE for v+1 nobody followed) is brought back
 * by the others: a replica in view v that has held a valid VIEW-CHANGE for v+1 for a view-change
 * timeout, is not behind and started no view change within the rejoin period, asks for v+1 itself, so
 * f+1 ask and everyone joins. A faulty replica gets at most one view change per rejoin period out of it.
 */
class AssistedViewChangeTest {
    private static final long T = Fixture.VIEW_CHANGE_TIMEOUT;
    private static final long REJOIN = 16 * T;
    private static final long STEP = 100;

    /**
     * Replica 3 is cut off, its request timer fires and it asks for view 1 alone. After the partition
     * heals the others, healthy, go on in view 0 and would never follow it; within a bounded time all
     * four share a view again and replica 3 votes (PREPARE and COMMIT) for new sequences.
     */
    @Test
    void aReplicaAloneInAViewChangeIsBroughtBackByTheOthersAndVotesAgain() {
        Cluster c = new Cluster();
        c.links = s -> s.from() != 3 && s.to() != 3; // replica 3 is partitioned
        c.submit(3, request("lonely", 1));
        long t = STEP;
        long nonce = 0;
        for (; t <= T + 5 * STEP; t += STEP) {
            c.submit(0, request("steady", ++nonce));
            c.tickAll(t);
        }
        assertThat(c.sentBy(3, ViewChange.class)).singleElement().satisfies(vc -> assertThat(vc.newView()).isEqualTo(1));
        int votesBefore = votes(c, 3);
        long heal = t;
        c.links = s -> true;
        boolean saidAlone = false;
        long together = -1;
        for (; t <= heal + 4 * T && together < 0; t += STEP) {
            c.submit(0, request("steady", ++nonce));
            c.tickAll(t);
            catchUp(c, 3);
            saidAlone |= c.replicas[3].aloneInViewChange();
            if (allNormalInOneView(c)) {
                together = t;
            } else if (c.replicas[0].status().view() == 0) {
                assertThat(votes(c, 3)).as("no vote in the view it left while alone").isEqualTo(votesBefore);
            }
        }
        assertThat(saidAlone).as("replica 3 reported that nobody followed it").isTrue();
        assertThat(together).as("all four back in one view within heal + 4 T").isPositive();
        assertThat(c.replicas[3].status().view()).isGreaterThanOrEqualTo(1);
        assertThat(c.replicas[3].aloneInViewChange()).isFalse();

        long lastBefore = c.replicas[0].status().lastExecutedSequence();
        for (long end = t + 2 * T; t <= end; t += STEP) {
            ClientRequest r = request("after", ++nonce);
            c.submit(0, r);
            c.submit(c.replicas[0].status().primary(), r);
            c.tickAll(t);
            catchUp(c, 3);
        }
        long view = c.replicas[3].status().view();
        assertThat(c.sentBy(3, Prepare.class)).as("replica 3 prepares new sequences again")
                .anyMatch(p -> p.view() == view && p.sequence() > lastBefore);
        assertThat(c.sentBy(3, Commit.class)).as("replica 3 commits new sequences again")
                .anyMatch(m -> m.view() == view && m.sequence() > lastBefore);
        assertSameHistory(c, 0, 1, 2, 3);
    }

    /**
     * Replica 3 is alone in a view change, and faulty replica 2 withholds its COMMIT for one sequence n
     * (and its VIEW-CHANGEs) but sends COMMITs for the later ones. Replicas 0 and 1 then hold commit certificates above n that they
     * cannot deliver (n lacks the third COMMIT, which only 3 could give), so they count as behind the
     * quorum and their timers stay stopped. They must still bring replica 3 back: n is prepared at them
     * and waits only for COMMITs, which is no reason to hold back the assisted view change.
     */
    @Test
    void aReplicaAloneIsBroughtBackWhileAFaultyReplicaWithholdsTheCommitOnlyItCouldReplace() {
        Cluster c = new Cluster();
        c.links = s -> s.from() != 3 && s.to() != 3;
        c.submit(3, request("lonely", 1));
        long t = STEP;
        long nonce = 0;
        for (; t <= T + 5 * STEP; t += STEP) {
            c.submit(0, request("steady", ++nonce));
            c.tickAll(t);
        }
        assertThat(c.sentBy(3, ViewChange.class)).singleElement().satisfies(vc -> assertThat(vc.newView()).isEqualTo(1));
        long n = c.replicas[0].lastDeliveredSequence() + 1;
        // Faulty replica 2: no COMMIT for n, and no help with any view change.
        c.filter = (to, m) -> !(m.message() instanceof Commit k && k.replica() == 2 && k.sequence() == n)
                && !(m.message() instanceof ViewChange v && v.replica() == 2);
        c.links = s -> true;
        long heal = t;
        ClientRequest probe = null;
        for (; t <= heal + 5 * T; t += STEP) {
            ClientRequest r = request("steady", ++nonce);
            c.submit(0, r);
            c.submit(c.replicas[1].status().primary(), r);
            c.tickAll(t);
            catchUp(c, 3);
            if (probe == null && c.replicas[1].status().view() >= 1
                    && c.replicas[1].status().status() == ReplicaStatus.Status.NORMAL) {
                probe = r;
            }
        }
        assertThat(c.replicas[0].lastDeliveredSequence()).as("sequence %d was delivered at last", n)
                .isGreaterThanOrEqualTo(n);
        assertThat(probe).as("replicas 0 and 1 left view 0 for replica 3's view").isNotNull();
        for (int r : new int[] {0, 1, 3}) {
            assertThat(c.replicas[r].status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
            assertThat(c.replicas[r].status().view()).isEqualTo(c.replicas[1].status().view());
            assertThat(c.executedKeys.get(r)).as("replica %d executed a request of the new view", r)
                    .contains(probe.clientId() + "#" + probe.nonce());
        }
        assertSameHistory(c, 0, 1, 3);
    }

    /**
     * A faulty replica (3) keeps sending every other replica a valid VIEW-CHANGE for its next view. Each
     * honest replica joins it at most once per rejoin period, so over ten rejoin periods the cluster
     * changes view at most eleven times, and keeps committing in between.
     */
    @Test
    void aFaultyReplicaAskingForTheNextViewOverAndOverGetsAtMostOneViewChangePerRejoinPeriod() {
        Cluster c = new Cluster();
        long span = 10 * REJOIN;
        long nonce = 0;
        for (long t = STEP; t <= span; t += STEP) {
            for (int i = 0; i < 3; i++) {
                ReplicaStatus s = c.replicas[i].status();
                if (s.status() == ReplicaStatus.Status.NORMAL) {
                    c.replicas[i].step(signed(new ViewChange(3, s.view() + 1, 0, List.of(), List.of())));
                    c.pump(i);
                }
            }
            c.run();
            c.submit(0, request("steady", ++nonce));
            c.submit(c.replicas[0].status().primary(), request("steady", nonce));
            c.tickAll(t);
        }
        for (int i = 0; i < 3; i++) {
            TreeSet<Long> targets = new TreeSet<>();
            c.sentBy(i, ViewChange.class).forEach(vc -> targets.add(vc.newView()));
            assertThat(targets).as("view changes of replica %d", i).hasSizeBetween(2, (int) (span / REJOIN) + 1);
        }
        assertThat(c.replicas[0].status().view()).isBetween(2L, span / REJOIN + 1);
        assertThat(c.replicas[0].status().lastExecutedSequence()).as("the cluster kept committing")
                .isGreaterThan(nonce / 2);
        assertSameHistory(c, 0, 1, 2);
    }

    /** The basic rule, on one replica: a VIEW-CHANGE for the next view held for a timeout is joined, once. */
    @Test
    void aViewChangeForTheNextViewHeldForATimeoutIsJoined() {
        Replica r = new Fixture().replica(1);
        r.tick(1);
        r.step(emptyViewChange(3, 1));
        r.tick(T);
        assertThat(sent(drain(r), ViewChange.class)).as("not before a timeout").isEmpty();
        r.tick(1 + T);
        assertThat(sent(drain(r), ViewChange.class)).singleElement().satisfies(vc -> assertThat(vc.newView()).isEqualTo(1));
        assertThat(r.status().viewChangeTarget()).isEqualTo(1);
        assertThat(r.assistedViewChanges()).isEqualTo(1);
    }

    /** A replica behind the quorum (f+1 checkpoints above what it executed) does not join a lone VIEW-CHANGE. */
    @Test
    void aReplicaBehindTheQuorumDoesNotJoin() {
        Replica r = new Fixture().replica(1);
        r.tick(1);
        Digest state = Digest.sha256(new byte[] {10});
        r.step(Fixture.checkpoint(0, Fixture.K, state));
        r.step(Fixture.checkpoint(2, Fixture.K, state));
        r.step(emptyViewChange(3, 1));
        for (long t = 2; t <= 1 + 4 * T; t += STEP) {
            r.tick(t);
        }
        assertThat(sent(drain(r), ViewChange.class)).isEmpty();
        assertThat(r.status().status()).isNotEqualTo(ReplicaStatus.Status.VIEW_CHANGE);
        assertThat(r.assistedViewChanges()).isZero();
    }

    /**
     * Only the next view counts (with a VIEW-CHANGE for v+2 or beyond a faulty replica would choose the
     * primary, or a view number near overflow), the wait restarts when the replica enters a view, a
     * VIEW-CHANGE for the current view is ignored, and none is joined within the rejoin period of the
     * last view change this replica started.
     */
    @Test
    void onlyTheNextViewCountsTheWaitRestartsInANewViewAndTheRejoinPeriodLimitsIt() {
        Replica r = new Fixture().replica(2);
        long now = 1;
        r.tick(now);
        r.step(emptyViewChange(3, 2)); // v+2: not joined, however long it waits
        for (long end = now + 4 * T; now < end; now += STEP) {
            r.tick(now);
        }
        assertThat(sent(drain(r), ViewChange.class)).isEmpty();

        // The others change to view 1 without it: it enters view 1 from their NEW-VIEW.
        r.tick(now);
        List<Signed<ViewChange>> v = List.of(emptyViewChange(0, 1), emptyViewChange(1, 1), emptyViewChange(3, 1));
        r.step(signed(new NewView(1, 1, v, List.of())));
        assertThat(r.status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        assertThat(r.status().view()).isEqualTo(1);
        r.step(emptyViewChange(1, 1)); // for the current view: ignored
        // Replica 3's VIEW-CHANGE for view 2 is for the next view now; it waited long, but in view 0.
        long entered = now;
        for (long end = entered + T; now < end; now += STEP) {
            r.tick(now);
        }
        assertThat(sent(drain(r), ViewChange.class)).as("the wait counts from entering view 1").isEmpty();
        r.tick(now += STEP);
        assertThat(sent(drain(r), ViewChange.class)).singleElement().satisfies(vc -> assertThat(vc.newView()).isEqualTo(2));
        assertThat(r.assistedViewChanges()).isEqualTo(1);
        long assisted = now;

        // It leads view 2: one more VIEW-CHANGE completes it, and it enters view 2.
        r.step(emptyViewChange(1, 2));
        assertThat(sent(drain(r), NewView.class)).hasSize(1);
        assertThat(r.status().view()).isEqualTo(2);
        assertThat(r.status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);

        // A lone VIEW-CHANGE for view 3: held back until the rejoin period since the last one it started.
        r.step(emptyViewChange(0, 3));
        for (long end = assisted + REJOIN; now < end; now += STEP) {
            r.tick(now);
        }
        assertThat(sent(drain(r), ViewChange.class)).as("within the rejoin period").isEmpty();
        r.tick(now += STEP);
        assertThat(sent(drain(r), ViewChange.class)).singleElement().satisfies(vc -> assertThat(vc.newView()).isEqualTo(3));
        assertThat(r.assistedViewChanges()).isEqualTo(2);
    }

    private static Signed<ViewChange> emptyViewChange(int replica, long view) {
        return signed(new ViewChange(replica, view, 0, List.of(), List.of()));
    }

    private static int votes(Cluster c, int id) {
        return c.sentBy(id, Commit.class).size() + c.sentBy(id, Prepare.class).size();
    }

    private static boolean allNormalInOneView(Cluster c) {
        long view = c.replicas[0].status().view();
        for (Replica r : c.replicas) {
            if (r.status().status() != ReplicaStatus.Status.NORMAL || r.status().view() != view) {
                return false;
            }
        }
        return true;
    }

    /** Every pair of the given replicas executed the same batch at every sequence both executed. */
    private static void assertSameHistory(Cluster c, int... ids) {
        for (int a : ids) {
            for (CommittedBatch b : c.executed.get(a)) {
                for (int other : ids) {
                    CommittedBatch o = c.executedAt(other, b.sequence());
                    if (o != null) {
                        assertThat(o.batchDigest()).as("sequence %d at %d and %d", b.sequence(), a, other)
                                .isEqualTo(b.batchDigest());
                    }
                }
            }
        }
    }

    /** The driver's catch-up: committed batches out of replica 0's history, up to the replica's target. */
    private static void catchUp(Cluster c, int id) {
        Replica r = c.replicas[id];
        while (r.catchUpTarget().isPresent() && r.lastDeliveredSequence() < r.catchUpTarget().getAsLong()) {
            CommittedBatch b = c.executedAt(0, r.lastDeliveredSequence() + 1);
            if (b == null) {
                break;
            }
            r.deliverCertified(b);
            c.pump(id);
        }
        c.run();
    }
}
