package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica-set change takes effect when ordering reaches its boundary checkpoint. On an idle cluster
 * the primary fills the sequences up to it with empty batches, so the change does not wait for
 * traffic; an empty batch is accepted nowhere else (a faulty primary cannot burn sequences with them).
 */
class BoundaryFillTest {
    @Test
    void anIdleClusterFillsUpToThePendingBoundaryAndTheChangeTakesEffect() {
        Cluster c = new Cluster(5);
        c.submit(0, request("load", 1));
        c.tickAll(c.now + Fixture.DELAY);
        assertThat(c.replicas[0].status().lastExecutedSequence()).isEqualTo(1);
        c.replicaSetChanged(1, new ReplicaSet(List.of(0, 1, 2, 3)));
        // No client sends anything more: only the fill can reach checkpoint K.
        for (int round = 0; round < 4 * (int) Fixture.K; round++) {
            c.tickAll(c.now + Fixture.DELAY);
        }
        for (int id = 0; id < 4; id++) {
            assertThat(c.replicas[id].status().lastExecutedSequence()).as("replica %d", id).isEqualTo(Fixture.K);
            assertThat(c.replicas[id].status().view()).as("replica %d entered epoch 1", id)
                    .isEqualTo(Epochs.VIEWS_PER_EPOCH);
        }
        assertThat(c.replicas[4].status().status()).isEqualTo(ReplicaStatus.Status.NOT_A_MEMBER);
        assertThat(c.executed.get(0).subList(1, (int) Fixture.K)).as("the fill").allSatisfy(b ->
                assertThat(b.requests()).isEmpty());
        // Nothing is pending any more: the primary of epoch 1 proposes no further empty batch.
        c.tickAll(c.now + 10 * Fixture.DELAY);
        assertThat(c.replicas[0].status().lastExecutedSequence()).isEqualTo(Fixture.K);
    }

    @Test
    void anEmptyBatchWithoutAPendingChangeIsRefused() {
        Fixture fx = new Fixture();
        Replica backup = fx.replica(1);
        backup.step(Fixture.signed(new PrePrepare(0, 0, 1, 0, BatchDigest.ofRequests(0, List.of()), List.of())));
        assertThat(drops(backup, DropReason.INVALID_BATCH)).isEqualTo(1);
        assertThat(backup.hasReady()).isFalse();
    }

    @Test
    void anEmptyBatchWaitsUntilItsPredecessorExecutedAndIsTakenOnlyByABackupThatKnowsTheChange() {
        Cluster c = new Cluster(5);
        c.submit(0, request("load", 1));
        c.tickAll(c.now + Fixture.DELAY);
        // Only backup 1 executed the change so far; backup 2 has not.
        c.replicas[1].replicaSetChanged(1, new ReplicaSet(List.of(0, 1, 2, 3)));
        Replica knows = c.replicas[1];
        Replica unaware = c.replicas[2];
        long ts = c.now;

        knows.step(empty(2, ts));
        assertThat(drops(knows, DropReason.INVALID_BATCH)).isZero();
        assertThat(knows.hasReady()).as("it prepared the empty batch at 2").isTrue();
        // 2 is accepted here but not executed: an empty batch at 3 waits until it is, whatever the gate says.
        knows.step(empty(3, ts));
        assertThat(drops(knows, DropReason.BUFFERED_EARLY_PRE_PREPARE)).as("3 waits for 2 to execute").isEqualTo(1);

        unaware.step(empty(2, ts));
        assertThat(drops(unaware, DropReason.INVALID_BATCH)).as("no pending change known: refused").isEqualTo(1);
    }

    private static io.pbftledger.pbft.message.Signed<PrePrepare> empty(long sequence, long ts) {
        return Fixture.signed(new PrePrepare(0, 0, sequence, ts, BatchDigest.ofRequests(ts, List.of()), List.of()));
    }
}
