package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.core.DropReason;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Genuine, correctly signed messages replayed long after the fact (old sequences below the stable
 * checkpoint, duplicates of votes already counted, stale checkpoints) pass authentication, are
 * dropped by the core's rules and counted, and change nothing in the replica's chain.
 */
class ReplayedPeerMessagesTest {
    private static InProcessCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InProcessCluster(1, ClientAdmission::unlimited);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static void commit(int from, int count) throws Exception {
        List<CompletableFuture<SubmitResult>> done = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Transaction t = cluster.tx(0, i, "{\"i\":" + i + "}");
            ReplicaService service = cluster.node(i % InProcessCluster.N).service();
            service.submit(t);
            done.add(service.whenCommitted(t.txId()));
            // Spread over many small batches, so that the sequence numbers pass several checkpoints.
            if (i % 3 == 0) {
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void replayingEveryMessageAReplicaEverReceivedIsDroppedCountedAndChangesNothing() throws Exception {
        cluster.record(1);
        commit(0, 150);
        List<byte[]> old = cluster.recorded();
        InProcessCluster.Node target = cluster.node(1);
        // Let the target finish what it has and reach a stable checkpoint above the replayed sequences.
        long height = target.store().latestHeader().height();
        waitUntil(() -> target.driver().status().stableCheckpoint() > 0 && target.driver().queuedEvents() == 0);
        // Replays come after the replay window  of every recorded message, so
        // they pass the verifier's copy check and reach the core's rules; on a fast machine the whole
        // run above can fit in one window.
        Thread.sleep(InProcessCluster.REPLAY_WINDOW_MS + 100);
        List<Digest> chainBefore = target.store().blockHashes();
        Map<DropReason, Long> dropsBefore = target.driver().coreDrops();

        long executedBefore = target.driver().status().lastExecutedSequence();
        long stableBefore = target.driver().status().stableCheckpoint();
        int offered = 0;
        int mustDrop = 0;
        int droppedBeforeCore = 0;
        for (byte[] bytes : old) {
            @SuppressWarnings("unchecked")
            Signed<? extends PbftMessage> replay = (Signed<? extends PbftMessage>) MessageCodec.decode(bytes);
            InboundVerifier.Verdict verdict = target.verifier().verify(replay);
            if (!verdict.accepted()) {
                // Replays are genuine: they fail no check, but a copy within the replay window, or a
                // FORWARD of executed requests, stops before the core.
                assertThat(verdict.dropReason()).isIn("replayed", "already_executed");
                droppedBeforeCore++;
            } else if (target.driver().offer(verdict.message())) {
                offered++;
                if (mustBeDropped(replay.message(), stableBefore, executedBefore)) {
                    mustDrop++;
                }
            }
        }
        waitUntil(() -> target.driver().queuedEvents() == 0);

        assertThat(offered + droppedBeforeCore).isGreaterThan(100);
        Map<DropReason, Long> dropsAfter = target.driver().coreDrops();
        long dropped = 0;
        for (DropReason reason : List.of(DropReason.DUPLICATE, DropReason.OUTSIDE_WINDOW, DropReason.STALE_CHECKPOINT,
                DropReason.ALREADY_DELIVERED, DropReason.REQUEST_ALREADY_ORDERED)) {
            dropped += dropsAfter.getOrDefault(reason, 0L) - dropsBefore.getOrDefault(reason, 0L);
        }
        // Every replayed pre-prepare at or below what the target executed, and every vote or checkpoint at
        // or below its stable checkpoint, is refused
        // by a protocol rule; STATUS messages and the like are answered, not dropped, so they are not counted.
        assertThat(mustDrop).as("replays at or below sequence %d reaching the core (offered %d, dropped before it %d, of %d)",
                executedBefore, offered, droppedBeforeCore, old.size()).isGreaterThan(50);
        assertThat(dropped).as("replays counted as dropped by protocol rule").isGreaterThanOrEqualTo(mustDrop);
        assertThat(target.store().blockHashes().subList(0, chainBefore.size())).isEqualTo(chainBefore);
        assertThat(target.store().latestHeader().height()).isGreaterThanOrEqualTo(height);
        assertThat(target.service().verifyChain().valid()).isTrue();

        // The cluster still works after the replay.
        commit(1_000, 5);
    }

    /** The sequence a pre-prepare, vote or checkpoint is for; Long.MAX_VALUE for any other message. */
    /**
     * Replays a protocol rule must refuse: pre-prepares of executed sequences (the slot holds one, or
     * the sequence lies below the window) and anything at or below the stable checkpoint. A PREPARE or
     * COMMIT between the stable checkpoint and what was executed may be new to the target (it
     * committed with other votes, or dropped this one above its window at the time, which depends on
     * timing): adding it to a committed slot changes nothing, which the chain checks below show.
     */
    private static boolean mustBeDropped(PbftMessage m, long stable, long executed) {
        long sequence = sequenceOf(m);
        return sequence <= stable || (m instanceof PrePrepare && sequence <= executed);
    }

    private static long sequenceOf(PbftMessage m) {
        if (m instanceof PrePrepare p) {
            return p.sequence();
        }
        if (m instanceof Prepare p) {
            return p.sequence();
        }
        if (m instanceof Commit c) {
            return c.sequence();
        }
        if (m instanceof Checkpoint c) {
            return c.sequence();
        }
        return Long.MAX_VALUE;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached in 30 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aForwardOfExecutedTransactionsCausesNoLookupOnTheConsensusThread() throws Exception {
        commit(2_000, 6);
        List<ClientRequest> executed = new ArrayList<>();
        for (int i = 2_000; i < 2_006; i++) {
            executed.add(cluster.tx(0, i, "{\"i\":" + i + "}").toRequest());
        }
        InProcessCluster.Node primary = cluster.node(0);
        // Old enough that the core no longer holds them in flight: a checkpoint above them is stable.
        long executedAt = primary.driver().status().lastExecutedSequence();
        for (int round = 0; primary.driver().status().stableCheckpoint() < executedAt && round < 20; round++) {
            commit(3_000 + round * 30, 30);
        }
        waitUntil(() -> primary.driver().status().stableCheckpoint() >= executedAt
                && primary.driver().queuedEvents() == 0);
        int before = cluster.coreLookups().size();

        for (int copy = 0; copy < 20; copy++) {
            // Each a distinct FORWARD (as a faulty replica signs anew), of the same executed requests.
            List<ClientRequest> requests = new ArrayList<>(executed);
            java.util.Collections.rotate(requests, copy);
            Signed<Forward> forward = cluster.sign(2, new Forward(2, requests));
            InboundVerifier.Verdict verdict = primary.verifier().verify(forward);
            if (verdict.accepted()) {
                primary.driver().offer(verdict.message());
            } else {
                assertThat(verdict.dropReason()).isEqualTo("already_executed");
            }
        }
        waitUntil(() -> primary.driver().queuedEvents() == 0);
        Thread.sleep(100);

        List<String> onConsensusThread = new ArrayList<>();
        for (String lookup : cluster.coreLookups().subList(before, cluster.coreLookups().size())) {
            for (ClientRequest r : executed) {
                if (lookup.equals("pbft-consensus " + r.clientId() + "#" + r.nonce())) {
                    onConsensusThread.add(lookup);
                }
            }
        }
        assertThat(onConsensusThread).isEmpty();
    }
}
