package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.ViewChange;
import org.junit.jupiter.api.Test;

/**
 * A commit quorum above a sequence that can never commit in the current view is no proof that the
 * others got further (found by the simulator: mixed seeds 200905, 201706 and 202221 of the long
 * search, each with a silent replica on a lossy network). Replicas that hold 2f+1 COMMITs for a
 * sequence they cannot deliver count themselves behind the quorum and keep their request timers
 * still while they fetch the certified batches they miss; when no correct replica has those batches
 * either, the fetch brings nothing, and the view must change.
 */
class StalledCommitQuorumTest {
    private static final long T = Fixture.VIEW_CHANGE_TIMEOUT;
    private static final long STEP = 100;

    /**
     * Replica 3 is silent. Replica 2 never gets replica 1's PREPARE for sequence 1, so it never
     * prepares it, and sequence 1 gets the COMMITs of replicas 0 and 1 only: it cannot commit in view
     * 0. Sequence 2 commits at replicas 0, 1 and 2, which none of them can deliver. Nobody executed
     * anything, so nobody can serve a certified batch: within a few view-change timeouts the backups
     * must move to view 1, where sequence 1 (prepared at replicas 0 and 1) is re-proposed, and both
     * requests execute on every correct replica. Before, the commit quorum at sequence 2 kept their
     * timers still for good.
     */
    @Test
    void aCommitQuorumAboveASequenceThatCannotCommitDoesNotHoldOffTheViewChange() {
        Cluster c = new Cluster();
        c.links = s -> s.from() != 3
                && !(s.from() == 1 && s.to() == 2 && s.message().message() instanceof Prepare p && p.sequence() == 1);
        long t = STEP;
        c.submit(0, request("a", 1));
        c.tickAll(t);
        t += STEP;
        c.submit(0, request("b", 1));
        c.tickAll(t);
        t += STEP;
        for (int r = 0; r < 3; r++) {
            assertThat(c.replicas[r].lastDeliveredSequence()).as("replica %d delivered nothing", r).isZero();
        }
        assertThat(c.replicas[1].diagnostics()).as("sequence 2 committed at replica 1, sequence 1 did not")
                .contains("2:pp/p2/c3C").contains("1:pp/p2/c2");

        long stalled = t;
        for (; t <= stalled + 5 * T; t += STEP) {
            c.tickAll(t);
        }
        for (int backup : new int[] {1, 2}) {
            assertThat(c.sentBy(backup, ViewChange.class)).as("backup %d asked for a new view", backup).isNotEmpty();
        }
        for (int r = 0; r < 3; r++) {
            assertThat(c.replicas[r].status().view()).as("replica %d view", r).isEqualTo(1);
            assertThat(c.executedKeys.get(r)).as("replica %d executed both requests", r).contains("a#1", "b#1");
        }
    }
}
