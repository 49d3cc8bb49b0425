package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backups' request timers [4.5.2], aged per request: a primary that keeps ordering other
 * clients' requests cannot keep one client out for good, and a replica does not start a view change
 * the current view does not deserve.
 */
class RequestTimerTest {
    private static final long T = Fixture.VIEW_CHANGE_TIMEOUT;
    private static final long STEP = 100;
    /** One request (so one batch) every 400 ms: a checkpoint interval (K = 10 batches) takes 2 T. */
    private static final long SLOW_STEP = 400;
    private static final ClientRequest CENSORED = request("censored", 1);

    /**
     * A primary that proposes every other client's requests, batch after batch, but never the
     * censored client's: the backups that hold the censored request start a view change once it
     * waited longer than the timeout, and the request commits in the next view.
     */
    @Test
    void aPrimaryThatNeverProposesOneClientsRequestWhileOrderingOthersIsReplaced() {
        Cluster c = new Cluster();
        // Replica 0 never gets the censored request: from the backups' side it is a primary that
        // never proposes it, while it orders everything else it receives.
        c.filter = (to, m) -> !(to == 0 && m.message() instanceof Forward f && f.requests().contains(CENSORED));
        for (int backup = 1; backup < Fixture.N; backup++) {
            c.replicas[backup].submit(CENSORED);
            c.pump(backup);
        }
        c.run();
        long nonce = 0;
        for (long t = STEP; t <= 6 * T; t += STEP) {
            c.submit(0, request("steady", ++nonce));
            c.tickAll(t);
        }
        assertThat(c.executed.get(1)).as("the other clients' requests kept committing").hasSizeGreaterThan(10);
        List<ViewChangeCause> causes = new ArrayList<>();
        for (int backup = 1; backup < Fixture.N; backup++) {
            assertThat(c.sentBy(backup, ViewChange.class)).as("backup %d asked for a new view", backup).isNotEmpty();
            causes.add(c.replicas[backup].lastViewChangeCause());
        }
        // Each backup's own request timer fired, or it joined f+1 that did; the log and metric say which.
        assertThat(causes).contains(ViewChangeCause.REQUEST_WAITED)
                .allMatch(cause -> cause == ViewChangeCause.REQUEST_WAITED || cause == ViewChangeCause.JOINED);
        for (int r = 0; r < Fixture.N; r++) {
            assertThat(c.executedKeys.get(r)).as("replica %d executed the censored request", r)
                    .contains(CENSORED.clientId() + "#" + CENSORED.nonce());
            assertThat(c.replicas[r].status().view()).isGreaterThanOrEqualTo(1);
        }
    }

    /**
     * A backup that was down while the others committed comes back and catches up from certified
     * batches, as the driver does, while the others keep committing in view 0 the requests its clients
     * also sent to it. What it waits for was executed by the others already: its request timer must not take it into a view change alone.
     */
    @Test
    void aReplicaCatchingUpWhileTheOthersCommitDoesNotStartAViewChange() {
        Cluster c = new Cluster();
        c.crash(3);
        long nonce = 0;
        long t = SLOW_STEP;
        // Down for sequences 1 to 12: it comes back just after a checkpoint (10) it can catch up to,
        // then misses 11 and 12, which no certified batch covers until the checkpoint at 20.
        for (; nonce < 12; t += SLOW_STEP) {
            c.submit(0, request("steady", ++nonce));
            c.tickAll(t);
        }
        c.restart(3);
        // Nobody re-sends it the pre-prepares it missed: only the next checkpoint brings it past them.
        c.filter = (to, m) -> !(to == 3 && m.message() instanceof PrePrepare pp && pp.sequence() <= 12);
        for (; t <= 12 * T; t += SLOW_STEP) {
            ClientRequest r = request("steady", ++nonce);
            c.submit(0, r);
            c.submit(3, r); // the client sends to every replica
            c.tickAll(t);
            catchUp(c, 3);
        }
        assertThat(c.sentBy(3, ViewChange.class)).as("the caught-up replica left the view alone").isEmpty();
        assertThat(c.replicas[3].status().status()).isNotEqualTo(ReplicaStatus.Status.VIEW_CHANGE);
        assertThat(c.replicas[3].status().lastExecutedSequence()).isGreaterThan(c.replicas[0].status().lastExecutedSequence() - Fixture.K);
        for (int r = 0; r < Fixture.N; r++) {
            assertThat(c.replicas[r].status().view()).isZero();
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

    /**
     * A replica cut off from the others (a partition) whose timer fired moved to view 1 alone; the
     * others, healthy, stay in view 0. It says so, never votes in view 0 again (its VIEW-CHANGE may end
     * up in a NEW-VIEW) and keeps executing what the others commit once the partition heals. When one
     * more replica crashes before the others bring it back (see AssistedViewChangeTest), the others'
     * next view change completes with it, so the cluster stalls for a timeout, not for good.
     */
    @Test
    void aReplicaAloneInAViewChangeSaysSoFollowsTheQuorumAndCompletesItsNextViewChange() {
        Cluster c = new Cluster();
        c.links = s -> s.from() != 3 && s.to() != 3; // replica 3 is partitioned for a while
        c.submit(3, request("lonely", 1));
        long t = STEP;
        long nonce = 0;
        boolean saidAlone = false;
        for (; t <= 2 * T + 5 * STEP; t += STEP) {
            c.tickAll(t);
            saidAlone |= c.replicas[3].aloneInViewChange();
        }
        assertThat(c.sentBy(3, ViewChange.class)).singleElement().satisfies(vc -> assertThat(vc.newView()).isEqualTo(1));
        int votesBefore = c.sentBy(3, Commit.class).size() + c.sentBy(3, Prepare.class).size();
        long healed = t;
        c.links = s -> true;
        // Less than a view-change timeout after the others first hear of its VIEW-CHANGE: they have not joined it.
        for (; t < healed + T - STEP; t += STEP) {
            c.submit(0, request("steady", ++nonce));
            c.tickAll(t);
            catchUp(c, 3);
            saidAlone |= c.replicas[3].aloneInViewChange();
        }
        assertThat(saidAlone).as("replica 3 reported that nobody followed it").isTrue();
        assertThat(c.replicas[3].aloneInViewChange()).isTrue();
        assertThat(c.replicas[0].aloneInViewChange()).isFalse();
        assertThat(c.replicas[0].status().view()).as("the others stayed in view 0").isZero();
        assertThat(c.sentBy(3, Commit.class).size() + c.sentBy(3, Prepare.class).size())
                .as("no vote in the view it left").isEqualTo(votesBefore);
        assertThat(c.replicas[3].status().lastExecutedSequence())
                .as("it follows the committed batches").isGreaterThan(c.replicas[0].status().lastExecutedSequence() - Fixture.K);

        c.crash(2);
        long crashed = t;
        String committedKey = null;
        for (; t <= crashed + 4 * T; t += STEP) {
            ClientRequest r = request("after-crash", ++nonce);
            c.submit(0, r);
            c.submit(1, r);
            c.tickAll(t);
            catchUp(c, 3);
            if (committedKey == null && c.replicas[1].status().view() == 1) {
                committedKey = r.clientId() + "#" + r.nonce();
            }
        }
        assertThat(c.replicas[3].status().view()).isEqualTo(1);
        assertThat(c.replicas[3].status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        assertThat(c.replicas[3].aloneInViewChange()).isFalse();
        assertThat(committedKey).isNotNull();
        for (int r : new int[] {0, 1, 3}) {
            assertThat(c.executedKeys.get(r)).as("replica %d committed in view 1", r).contains(committedKey);
        }
    }
}
