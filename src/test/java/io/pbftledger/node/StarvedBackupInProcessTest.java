package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.core.ReplicaStatus;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Four complete replicas where the primary's messages never reach one backup (its sender thread to
 * that backup died, or the primary, faulty, leaves it out of its PRE-PREPAREs) while the other three
 * commit. The checkpoint interval is 20, far beyond the few blocks committed here, so the backup
 * cannot wait for a checkpoint: it must get what it lacks from the other backups.
 */
class StarvedBackupInProcessTest {
    private static final int STARVED = 2;
    private static final int BLOCKS = 5;
    /** A few retransmit intervals (300 ms, growing to at most half the 2 s view-change timeout). */
    private static final long CATCH_UP_BOUND_MS = 5_000;

    @Test
    void aBackupThePrimaryCannotReachReachesTheHeightOfTheOthersWithoutACheckpointOrViewChange() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(1, ClientAdmission::unlimited)) {
            cluster.links((from, to, message) -> !(from == 0 && to == STARVED));
            for (int i = 0; i < BLOCKS; i++) {
                commitAt(cluster, 1, cluster.tx(0, i + 1, "{\"i\":" + i + "}"));
            }
            long height = cluster.node(1).store().latestHeader().height();
            assertThat(height).isGreaterThanOrEqualTo(BLOCKS);

            assertReached(cluster, STARVED, height);
            assertThat(cluster.node(STARVED).store().blockHashes()).isEqualTo(cluster.node(1).store().blockHashes());
            assertThat(cluster.node(STARVED).driver().status().stableCheckpoint()).isZero();
            assertThat(cluster.node(STARVED).driver().viewChanges()).isZero();
        }
    }

    @Test
    void aBackupThePrimaryLeavesOutOfItsPrePreparesCommitsWhatItsClientsSubmitToIt() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(1, ClientAdmission::unlimited)) {
            // The faulty primary sends that backup every vote and every answer, but never a PRE-PREPARE.
            cluster.links((from, to, message) -> !(from == 0 && to == STARVED && message.message() instanceof PrePrepare));
            for (int i = 0; i < BLOCKS; i++) {
                // Submitted to the starved backup itself: it sees its own client's transaction commit ...
                commitAt(cluster, STARVED, cluster.tx(0, i + 1, "{\"i\":" + i + "}"));
            }
            long height = cluster.node(1).store().latestHeader().height();
            assertReached(cluster, STARVED, height);
            assertThat(cluster.node(STARVED).store().blockHashes()).isEqualTo(cluster.node(1).store().blockHashes());
            // ... without a view change: the request timer (2 s) never expired while it waited.
            for (InProcessCluster.Node node : cluster.nodes()) {
                assertThat(node.driver().viewChanges()).isZero();
                assertThat(node.driver().status().view()).isZero();
            }
        }
    }

    @Test
    void aBackupThePrimaryGivesOtherBatchesThanTheQuorumFetchesTheCommittedBlocks() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(1, ClientAdmission::unlimited, 100_000, false)) {
            cluster.attachStateTransfer();
            // The faulty primary sends that backup each batch with another timestamp: a valid pre-prepare
            // with another digest, which it accepts, so it refuses the one the others commit.
            cluster.rewrite((from, to, message) -> from == 0 && to == STARVED && message.message() instanceof PrePrepare pp
                    ? cluster.signAs(0, new PrePrepare(0, pp.view(), pp.sequence(), pp.timestamp() + 1,
                            BatchDigest.ofRequests(pp.timestamp() + 1, pp.batch()), pp.batch()))
                    : message);
            cluster.start();
            for (int i = 0; i < BLOCKS; i++) {
                commitAt(cluster, 1, cluster.tx(0, i + 1, "{\"i\":" + i + "}"));
            }
            long height = cluster.node(1).store().latestHeader().height();

            assertReached(cluster, STARVED, height);
            assertThat(cluster.node(STARVED).store().blockHashes()).isEqualTo(cluster.node(1).store().blockHashes());
            assertThat(cluster.node(STARVED).service().verifyChain().valid()).isTrue();
            assertThat(cluster.node(STARVED).driver().status().stableCheckpoint()).isZero();
            // Before its request timer (2 s) for the batch it accepted could expire: no lone view change.
            assertThat(cluster.node(STARVED).driver().viewChanges()).isZero();
            assertThat(cluster.node(STARVED).driver().status().status()).isEqualTo(ReplicaStatus.Status.NORMAL);
        }
    }

    private static void commitAt(InProcessCluster cluster, int replica, Transaction tx) throws Exception {
        ReplicaService service = cluster.node(replica).service();
        assertThat(service.submit(tx).status()).isEqualTo(TxStatus.PENDING);
        service.whenCommitted(tx.txId()).get(CATCH_UP_BOUND_MS, TimeUnit.MILLISECONDS);
    }

    private static void assertReached(InProcessCluster cluster, int replica, long height) throws InterruptedException {
        waitUntil(() -> cluster.node(replica).store().latestHeader().height() >= height);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + CATCH_UP_BOUND_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not reached within " + CATCH_UP_BOUND_MS + " ms");
            }
            Thread.sleep(20);
        }
    }
}
