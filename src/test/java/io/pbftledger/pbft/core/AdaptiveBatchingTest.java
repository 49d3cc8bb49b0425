package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.PrePrepare;
import org.junit.jupiter.api.Test;

/**
 * Adaptive batching: with {@link ReplicaConfig#batchPipelineDepth()} (2 in the fixture) proposals
 * unexecuted, the primary lets a partial batch grow past its delay until one executes, instead of
 * filling the pipeline with small batches; a full batch and an idle cluster are unaffected.
 */
class AdaptiveBatchingTest {
    private static final long T0 = 1_000;

    @Test
    void withThePipelineFullAPartialBatchWaitsPastItsDelayAndLeavesWhenAProposalExecutes() {
        Cluster cluster = new Cluster();
        cluster.filter = (to, m) -> !(m.message() instanceof Commit); // nothing executes
        cluster.tickAll(T0);
        cluster.submit(0, request("a", 1));
        cluster.tickAll(T0 + Fixture.DELAY);
        cluster.submit(0, request("a", 2));
        cluster.tickAll(T0 + 2 * Fixture.DELAY);
        assertThat(cluster.sentBy(0, PrePrepare.class)).extracting(PrePrepare::sequence).containsExactly(1L, 2L);

        cluster.submit(0, request("a", 3));
        cluster.tickAll(T0 + 3 * Fixture.DELAY);
        cluster.submit(0, request("b", 1));
        cluster.tickAll(T0 + 8 * Fixture.DELAY);
        assertThat(cluster.sentBy(0, PrePrepare.class)).as("two proposals unexecuted: the third batch grows")
                .hasSize(2);

        cluster.filter = (to, m) -> true;
        long t = T0 + 8 * Fixture.DELAY;
        while (cluster.executedAt(0, 1) == null && t < T0 + 10 * Fixture.RETRANSMIT) {
            t += Fixture.DELAY;
            cluster.tickAll(t); // commits are sent again (retransmission); 1 and 2 execute
        }
        assertThat(cluster.executedAt(0, 1)).isNotNull();
        PrePrepare third = cluster.sentBy(0, PrePrepare.class).get(2);
        assertThat(third.sequence()).isEqualTo(3);
        assertThat(third.batch()).extracting(ClientRequest::clientId, ClientRequest::nonce)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 3L), org.assertj.core.groups.Tuple.tuple("b", 1L));
        cluster.tickAll(t + Fixture.DELAY);
        for (int id = 0; id < Fixture.N; id++) {
            assertThat(cluster.executedAt(id, 3)).as("replica %d", id).isNotNull();
        }
    }

    @Test
    void aFullBatchLeavesAtOnceEvenWithThePipelineFull() {
        Cluster cluster = new Cluster();
        cluster.filter = (to, m) -> !(m.message() instanceof Commit);
        cluster.tickAll(T0);
        cluster.submit(0, request("a", 1));
        cluster.tickAll(T0 + Fixture.DELAY);
        cluster.submit(0, request("a", 2));
        cluster.tickAll(T0 + 2 * Fixture.DELAY);

        cluster.submit(0, request("b", 1), request("b", 2), request("b", 3)); // BATCH_MAX = 3
        assertThat(cluster.sentBy(0, PrePrepare.class)).extracting(PrePrepare::sequence).containsExactly(1L, 2L, 3L);
        assertThat(cluster.sentBy(0, PrePrepare.class).get(2).batch()).hasSize(Fixture.BATCH_MAX);
    }

    @Test
    void anExecutingClusterProposesEachLoneRequestAfterTheDelayAsBefore() {
        Cluster cluster = new Cluster();
        cluster.tickAll(T0);
        for (int i = 1; i <= 5; i++) {
            cluster.submit(0, request("a", i));
            cluster.tickAll(T0 + i * Fixture.DELAY);
        }
        assertThat(cluster.sentBy(0, PrePrepare.class)).hasSize(5).allSatisfy(pp -> assertThat(pp.batch()).hasSize(1));
        assertThat(cluster.executedAt(3, 5)).isNotNull();
    }

    @Test
    void aDepthBelowOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Fixture.config(0).withBatchPipelineDepth(0))
                .withMessageContaining("batchPipelineDepth");
    }

    /**
     * Without a delay (ledger.batch.max-delay-ms = 0, the default), a lone request on an idle cluster
     * is proposed at once; with the pipeline full, partial batches still wait and grow.
     */
    @Test
    void withoutADelayALoneRequestLeavesAtOnceAndAFullPipelineStillHoldsPartialBatchesBack() {
        ReplicaConfig config = ReplicaConfig.builder(0, Fixture.N)
                .checkpoints(Fixture.K, Fixture.L)
                .batches(Fixture.BATCH_MAX, Fixture.BATCH_BYTES, 0)
                .timestampSkewMs(Fixture.SKEW)
                .retransmitIntervalMs(Fixture.RETRANSMIT)
                .viewChangeTimeoutMs(Fixture.VIEW_CHANGE_TIMEOUT)
                .build();
        Proposer proposer = new Proposer(config, 0, 0);
        ClientRequest first = request("a", 1);
        proposer.enqueue(RequestKey.of(first), first, T0);
        PrePrepare one = proposer.cutIfDue(0, 0, T0, Fixture.L, 0);
        assertThat(one).as("proposed in the same instant").isNotNull();
        assertThat(one.batch()).containsExactly(first);

        ClientRequest second = request("a", 2);
        proposer.enqueue(RequestKey.of(second), second, T0);
        assertThat(proposer.cutIfDue(0, 0, T0, Fixture.L, 0)).as("one unexecuted: room for another").isNotNull();
        ClientRequest third = request("a", 3);
        proposer.enqueue(RequestKey.of(third), third, T0);
        assertThat(proposer.cutIfDue(0, 0, T0 + 1_000, Fixture.L, 0)).as("two unexecuted: the batch grows").isNull();
        assertThat(proposer.cutIfDue(0, 0, T0 + 1_000, Fixture.L, 1)).as("one executed: it leaves").isNotNull();
    }
}
