package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica-set change takes effect at the first checkpoint at or above the sequence that executed it,
 * once that checkpoint is stable (docs/design.md, "Replica sets"): from then on the new set's quorums,
 * members and primary count, in the first view of the next epoch.
 */
class EpochSwitchTest {
    private static final long FIRST_VIEW_OF_EPOCH_1 = Epochs.VIEWS_PER_EPOCH;

    /** Orders one batch per call until every live member executed {@code sequence}. */
    private static long orderUpTo(Cluster c, int to, long sequence, long nonce) {
        while (c.replicas[to].status().lastExecutedSequence() < sequence) {
            List<Integer> members = new java.util.ArrayList<>();
            for (int id = 0; id < c.replicas.length; id++) {
                if (c.replicas[id] != null && c.replicas[id].status().status() != ReplicaStatus.Status.NOT_A_MEMBER) {
                    members.add(id);
                }
            }
            ClientRequest[] batch = new ClientRequest[Fixture.BATCH_MAX];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = request("load", ++nonce);
            }
            for (int id : members) {
                if (!c.down[id]) {
                    c.submit(id, batch);
                }
            }
            c.tickAll(c.now + Fixture.DELAY);
        }
        return nonce;
    }

    private static void changeAt(Cluster c, long sequence, ReplicaSet next) {
        c.replicaSetChanged(sequence, next); // as each driver does when it executes the change
    }

    @Test
    void afterARemovalTakesEffectThreeOfTheFourRemainingReplicasCommit() {
        Cluster c = new Cluster(5);
        long nonce = orderUpTo(c, 0, 1, 0);
        changeAt(c, 1, new ReplicaSet(List.of(0, 1, 2, 3)));

        nonce = orderUpTo(c, 0, Fixture.K, nonce);
        c.tickAll(c.now + 1);
        for (int id = 0; id < 4; id++) {
            assertThat(c.replicas[id].status().view()).as("replica %d", id).isEqualTo(FIRST_VIEW_OF_EPOCH_1);
        }
        assertThat(c.replicas[4].status().status()).isEqualTo(ReplicaStatus.Status.NOT_A_MEMBER);

        c.crash(3);
        c.crash(4);
        long before = c.executed.get(0).size();
        ClientRequest r = request("after", 1);
        for (int id = 0; id < 3; id++) {
            c.submit(id, r);
        }
        c.tickAll(c.now + Fixture.DELAY);

        for (int id = 0; id < 3; id++) {
            assertThat(c.executed.get(id)).as("replica %d", id).hasSize((int) before + 1);
            CommittedBatch last = c.executed.get(id).get(c.executed.get(id).size() - 1);
            assertThat(last.requests()).containsExactly(r);
            assertThat(last.view()).isEqualTo(FIRST_VIEW_OF_EPOCH_1);
            assertThat(last.certificate()).hasSize(3).allSatisfy(s -> assertThat(s.message().replica()).isLessThan(4));
        }
    }

    @Test
    void withoutTheChangeThreeOfFiveCannotCommit() {
        Cluster c = new Cluster(5);
        long nonce = orderUpTo(c, 0, Fixture.K, 0);
        c.crash(3);
        c.crash(4);
        long before = c.executed.get(0).size();
        for (int id = 0; id < 3; id++) {
            c.submit(id, request("after", 1));
        }
        c.tickAll(c.now + Fixture.DELAY);

        assertThat(c.executed.get(0)).hasSize((int) before);
        assertThat(nonce).isPositive();
    }

    @Test
    void aRemovedPrimaryIsReplacedAtTheBoundaryWithoutAViewChange() {
        Cluster c = new Cluster(5);
        long nonce = orderUpTo(c, 1, 2, 0);
        changeAt(c, 2, new ReplicaSet(List.of(1, 2, 3, 4)));
        nonce = orderUpTo(c, 1, Fixture.K, nonce);
        c.tickAll(c.now + 1);

        assertThat(c.replicas[0].status().status()).isEqualTo(ReplicaStatus.Status.NOT_A_MEMBER);
        for (int id = 1; id < 5; id++) {
            assertThat(c.replicas[id].status().primary()).as("replica %d", id).isEqualTo(1);
        }
        long before = c.executed.get(1).size();
        orderUpTo(c, 1, Fixture.K + 1, nonce);

        for (int id = 1; id < 5; id++) {
            assertThat(c.executed.get(id)).as("replica %d", id).hasSizeGreaterThan((int) before);
            assertThat(c.replicas[id].status().view()).isEqualTo(FIRST_VIEW_OF_EPOCH_1);
            assertThat(c.sentBy(id, io.pbftledger.pbft.message.ViewChange.class)).as("replica %d", id).isEmpty();
        }
        assertThat(c.executed.get(0)).hasSize((int) Fixture.K);
    }

    @Test
    void aReplicaRestartedAfterTheSwitchComesBackInTheNewEpochAndCountsInItsQuorums() {
        Cluster c = new Cluster(5);
        long nonce = orderUpTo(c, 0, 1, 0);
        changeAt(c, 1, new ReplicaSet(List.of(0, 1, 2, 3)));
        nonce = orderUpTo(c, 0, Fixture.K, nonce);
        c.tickAll(c.now + 1);
        c.crash(4);

        c.crash(1);
        nonce = orderUpTo(c, 0, Fixture.K + 2, nonce); // 0, 2, 3: a quorum of the four
        c.restartFromStable(1);
        assertThat(c.replicas[1].status().view()).isEqualTo(FIRST_VIEW_OF_EPOCH_1);
        c.tickAll(c.now + Fixture.VIEW_CHANGE_TIMEOUT / 2);
        c.crash(2);
        long target = c.replicas[0].status().lastExecutedSequence() + 1;
        orderUpTo(c, 0, target, nonce); // 0, 1, 3: replica 1 must vote in the new epoch

        assertThat(c.replicas[1].status().view()).isEqualTo(FIRST_VIEW_OF_EPOCH_1);
        CommittedBatch last = c.executed.get(0).get(c.executed.get(0).size() - 1);
        assertThat(last.certificate()).extracting(s -> s.message().replica()).contains(1);
    }

    @Test
    void anAddedReplicaJoinsFromTheBoundaryCheckpointAndCountsInAQuorumWithAnOriginalReplicaDown() {
        Cluster c = new Cluster(ReplicaSet.ofSize(4), 5);
        long nonce = orderUpTo(c, 0, 1, 0);
        ReplicaSet five = new ReplicaSet(List.of(0, 1, 2, 3, 4));
        changeAt(c, 1, five);
        nonce = orderUpTo(c, 0, Fixture.K, nonce);
        c.tickAll(c.now + 1);
        assertThat(c.replicas[0].status().n()).isEqualTo(5);

        c.join(4, 0); // as after state transfer up to the stable boundary checkpoint
        assertThat(c.replicas[4].status().status()).isNotEqualTo(ReplicaStatus.Status.NOT_A_MEMBER);
        assertThat(c.replicas[4].status().view()).isEqualTo(FIRST_VIEW_OF_EPOCH_1);
        c.crash(3);
        long target = c.replicas[0].status().lastExecutedSequence() + 1;
        orderUpTo(c, 0, target, nonce); // 0, 1, 2 and 4: four of five

        for (int id : List.of(0, 1, 2, 4)) {
            assertThat(c.replicas[id].status().lastExecutedSequence()).as("replica %d", id).isGreaterThanOrEqualTo(target);
        }
        CommittedBatch last = c.executed.get(0).get(c.executed.get(0).size() - 1);
        assertThat(last.certificate()).hasSize(4).extracting(s -> s.message().replica()).contains(4);
    }

    @Test
    void aReplicaBehindInstallsACheckpointOfTheNextSetSignedByThatSetsSmallerQuorum() {
        Cluster c = new Cluster(7);
        long nonce = orderUpTo(c, 0, 1, 0);
        changeAt(c, 1, new ReplicaSet(List.of(0, 1, 2, 3)));
        c.crash(3); // it knows of the change, and misses everything after
        nonce = orderUpTo(c, 0, 2 * Fixture.K, nonce);
        StableCheckpoint proven = c.stableOf(0);
        assertThat(proven.sequence()).isGreaterThan(Fixture.K);
        assertThat(proven.proof()).hasSize(3); // a quorum of the four, fewer than the seven's five

        c.restartFromStable(3);
        c.replicas[3].installCheckpoint(proven, c.executed.get(0).get(c.executed.get(0).size() - 1).timestamp());

        assertThat(c.replicas[3].status().stableCheckpoint()).isEqualTo(proven.sequence());
        assertThat(c.replicas[3].status().n()).isEqualTo(4);
        assertThat(c.replicas[3].status().view()).isEqualTo(FIRST_VIEW_OF_EPOCH_1);
        assertThat(nonce).isPositive();
    }
}
