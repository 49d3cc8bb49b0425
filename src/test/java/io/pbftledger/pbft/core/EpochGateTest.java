package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.prePrepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gate that keeps epochs apart (docs/design.md, "Replica sets"): a replica votes for sequence q
 * only once it has executed the checkpoint below q, and, while a replica-set change is pending, for
 * nothing above the checkpoint that ends the current epoch. Without it a primary could get sequences
 * above that checkpoint certified by the old set before the replicas learn of the change.
 */
class EpochGateTest {
    private final Fixture fx = new Fixture();

    private static void commitAndExecute(Replica backup, long from, long to) {
        for (long s = from; s <= to; s++) {
            Fixture.commitAt(backup, 1, s, 10 + s, request("a", s));
            backup.executed(s, Digest.ZERO);
        }
    }

    @Test
    void aBackupHoldsAPrePrepareAboveACheckpointItHasNotExecutedAndPreparesOnceItHas() {
        Replica backup = fx.replica(1);
        for (long s = 1; s <= Fixture.K; s++) {
            Fixture.commitAt(backup, 1, s, 10 + s, request("a", s)); // committed, not executed yet
        }

        backup.step(prePrepare(0, 0, Fixture.K + 1, 100, request("b", 1)));

        assertThat(sent(drain(backup), Prepare.class)).isEmpty();
        assertThat(drops(backup, DropReason.BUFFERED_EARLY_PRE_PREPARE)).isEqualTo(1);
        for (long s = 1; s < Fixture.K; s++) {
            backup.executed(s, Digest.ZERO);
        }
        assertThat(sent(drain(backup), Prepare.class)).isEmpty();

        backup.executed(Fixture.K, Digest.ZERO);

        assertThat(sent(drain(backup), Prepare.class)).singleElement()
                .satisfies(p -> assertThat(p.sequence()).isEqualTo(Fixture.K + 1));
    }

    @Test
    void withAChangePendingABackupVotesForNothingAboveTheCheckpointThatEndsTheEpoch() {
        Replica backup = fx.replica(1);
        commitAndExecute(backup, 1, 2);
        Fixture.commitAt(backup, 1, 3, 13, request("a", 3));
        backup.replicaSetChanged(3, new ReplicaSet(List.of(0, 1, 2, 3, 4)));
        backup.executed(3, Digest.ZERO);
        commitAndExecute(backup, 4, Fixture.K);

        backup.step(prePrepare(0, 0, Fixture.K + 1, 100, request("b", 1)));

        assertThat(sent(drain(backup), Prepare.class)).isEmpty();
        assertThat(drops(backup, DropReason.BUFFERED_EARLY_PRE_PREPARE)).isEqualTo(1);
    }

    @Test
    void withAChangePendingThePrimaryProposesNothingAboveTheBoundary() {
        Cluster c = new Cluster();
        c.submit(0, request("a", 1));
        c.tickAll(c.now + Fixture.DELAY);
        ReplicaSet next = new ReplicaSet(List.of(0, 1, 2, 3, 4));
        for (int id = 0; id < Fixture.N; id++) {
            assertThat(c.executed.get(id)).hasSize(1);
            c.replicas[id].replicaSetChanged(1, next); // as the driver does when it executes the change
        }

        for (long i = 0; i < 3 * Fixture.K * Fixture.BATCH_MAX; i++) {
            c.submit(0, request("b", i));
        }
        c.tickAll(c.now + Fixture.DELAY);

        // Above K only the next epoch orders (its views start at Epochs.VIEWS_PER_EPOCH).
        long highestOfTheOldEpoch = c.sentBy(0, PrePrepare.class).stream()
                .filter(pp -> pp.view() < Epochs.VIEWS_PER_EPOCH).mapToLong(PrePrepare::sequence).max().orElseThrow();
        assertThat(highestOfTheOldEpoch).isEqualTo(Fixture.K);
        for (int id = 0; id < Fixture.N; id++) {
            assertThat(c.executed.get(id)).as("replica %d", id).hasSizeGreaterThanOrEqualTo((int) Fixture.K)
                    .allSatisfy(b -> assertThat(b.view() < Epochs.VIEWS_PER_EPOCH).isEqualTo(b.sequence() <= Fixture.K));
        }
    }
}
