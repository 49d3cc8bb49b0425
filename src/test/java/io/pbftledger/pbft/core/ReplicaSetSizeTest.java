package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replica sets whose size is not 3f+1: f = ⌊(n−1)/3⌋ and every certificate is a quorum of
 * ⌈(n+f+1)/2⌉ (4 of 5, 4 of 6). The paper's 2f+1 would be 3 at n = 5 and 6: two such quorums could
 * share a single replica, which may be the faulty one, and two batches could commit at one sequence.
 */
class ReplicaSetSizeTest {
    private static final ClientRequest A1 = request("a", 1);
    private static final ClientRequest A2 = request("a", 2);

    @Test
    void fiveReplicasCommitWithOneDownAndEveryCertificateHoldsFourCommits() {
        Cluster c = new Cluster(5);
        c.crash(4);

        c.submit(0, A1, A2);
        c.tickAll(c.now + Fixture.DELAY);

        for (int id = 0; id < 4; id++) {
            assertThat(c.executed.get(id)).singleElement().satisfies(b -> {
                assertThat(b.requests()).containsExactly(A1, A2);
                assertThat(b.certificate()).hasSize(4);
            });
        }
    }

    @Test
    void threeOfFiveReplicasNeverCommitTheyAreNotAQuorum() {
        Cluster c = new Cluster(5);
        c.crash(3);
        c.crash(4);

        c.submit(0, A1, A2);
        c.tickAll(c.now + Fixture.DELAY);
        for (int i = 1; i <= 5; i++) {
            c.tickAll(c.now + Fixture.VIEW_CHANGE_TIMEOUT * i);
        }

        for (int id = 0; id < 3; id++) {
            assertThat(c.executed.get(id)).as("replica %d", id).isEmpty();
        }
    }

    @Test
    void sixReplicasCommitWithTwoDown() {
        Cluster c = new Cluster(6);
        c.crash(4);
        c.crash(5);

        c.submit(0, A1);
        c.tickAll(c.now + Fixture.DELAY);

        for (int id = 0; id < 4; id++) {
            assertThat(c.executed.get(id)).singleElement()
                    .satisfies(b -> assertThat(b.certificate()).hasSize(4));
        }
    }

    @Test
    void fiveReplicasReplaceACrashedPrimaryWithAQuorumOfFourViewChanges() {
        Cluster c = new Cluster(5);
        c.crash(0);

        for (int id = 1; id < 5; id++) {
            c.submit(id, A1); // the client sends to every replica
        }
        c.tickAll(c.now + 10);
        c.tickAll(c.now + Fixture.VIEW_CHANGE_TIMEOUT);
        c.tickAll(c.now + Fixture.VIEW_CHANGE_TIMEOUT);

        for (int id = 1; id < 5; id++) {
            assertThat(c.replicas[id].status().view()).as("replica %d", id).isEqualTo(1);
            assertThat(c.replicas[id].status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
            assertThat(c.executed.get(id)).singleElement().satisfies(b -> {
                assertThat(b.view()).isEqualTo(1);
                assertThat(b.requests()).containsExactly(A1);
            });
        }
        assertThat(c.sentBy(1, io.pbftledger.pbft.message.NewView.class)).singleElement()
                .satisfies(nv -> assertThat(nv.viewChanges()).hasSize(4));
    }

    /** Ids with gaps, as a set after removals has: the primary of view v is the (v mod n)-th member. */
    @Test
    void membersWithGapsInTheirIdsCommitAndReplaceTheirPrimary() {
        ReplicaSet set = new ReplicaSet(List.of(0, 2, 3, 5));
        Cluster c = new Cluster(set);

        c.submit(0, A1);
        c.tickAll(c.now + Fixture.DELAY);
        for (int id : set.members()) {
            assertThat(c.executed.get(id)).as("replica %d", id).singleElement()
                    .satisfies(b -> assertThat(b.certificate()).hasSize(3));
        }

        c.crash(0);
        for (int id : List.of(2, 3, 5)) {
            c.submit(id, A2);
        }
        c.tickAll(c.now + 10);
        c.tickAll(c.now + Fixture.VIEW_CHANGE_TIMEOUT);
        c.tickAll(c.now + Fixture.VIEW_CHANGE_TIMEOUT);

        for (int id : List.of(2, 3, 5)) {
            assertThat(c.replicas[id].status().view()).as("replica %d", id).isEqualTo(1);
            assertThat(c.replicas[id].status().primary()).isEqualTo(2);
            assertThat(c.executed.get(id)).as("replica %d", id).hasSize(2);
        }
        assertThat(c.sentBy(2, io.pbftledger.pbft.message.NewView.class)).hasSize(1);
    }

    @Test
    void aReplicaOutsideTheSetIsNotCountedEvenWithValidSignatures() {
        ReplicaSet set = new ReplicaSet(List.of(0, 2, 3, 5));
        Cluster c = new Cluster(set);
        c.crash(3);
        c.crash(5);
        c.submit(0, A1);
        c.tickAll(c.now + Fixture.DELAY);
        io.pbftledger.pbft.message.PrePrepare pp = c.sentBy(0, io.pbftledger.pbft.message.PrePrepare.class).get(0);

        // Replica 1 is not a member: its PREPARE and COMMIT would complete 0 and 2's quorums of 3.
        for (int to : List.of(0, 2)) {
            c.replicas[to].step(Fixture.signed(new io.pbftledger.pbft.message.Prepare(1, 0, pp.sequence(), pp.batchDigest())));
            c.replicas[to].step(Fixture.signed(new io.pbftledger.pbft.message.Commit(1, 0, pp.sequence(), pp.batchDigest())));
            c.pump(to);
        }
        c.run();

        assertThat(c.executed.get(0)).isEmpty();
        assertThat(c.executed.get(2)).isEmpty();
        assertThat(c.replicas[2].dropCounts()).containsKey(DropReason.NOT_A_MEMBER);
    }
}
