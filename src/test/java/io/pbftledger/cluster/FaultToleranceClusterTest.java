package io.pbftledger.cluster;

import static io.pbftledger.cluster.ClusterProbe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.testing.ProcessTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash faults on real replica processes (SIGKILL) sharing one 4-replica cluster; the steps build on
 * each other in order: the primary dies, a backup restarts and catches up across checkpoints, two of
 * four are down, and finally the whole cluster is killed and restarted.
 *
 * <p>It found a real bug: a backup that was down while a batch committed in view 1 committed the same
 * batch in view 3 after a NEW-VIEW, and the block hash covered the view, so the chains differed
 * (see ChainVerifierTest#theSameBatchCommittedInDifferentViewsMakesTheSameBlockAndBothVerify).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ProcessTest
class FaultToleranceClusterTest {
    private static final int N = 4;
    private static final List<String> SETTINGS = List.of("--ledger.checkpoint-interval=10",
            "--ledger.watermark-window=20", "--ledger.view-change-timeout-ms=3000", "--ledger.retransmit-interval-ms=300");

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static ClusterProbe probe;
    private static ClientIdentity client;
    private static long nonce;
    /** Replicas currently killed by an earlier step. */
    private static final List<Integer> DOWN = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.start(dir, N, 1, i -> SETTINGS);
        probe = new ClusterProbe(cluster);
        client = cluster.clients.get(0);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Transaction tx(String key) {
        nonce++;
        return client.sign(nonce, key, "{\"n\":" + nonce + "}");
    }

    private static List<Integer> up() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            if (!DOWN.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static void commitWithWait(int replica, Transaction tx) throws Exception {
        HttpResponse<String> r = probe.submit(replica, tx, 20_000);
        assertThat(r.statusCode()).as("commit through replica %d: %s%nlog:%n%s", replica, r.body(), cluster.log(replica))
                .isEqualTo(200);
    }

    private static void assertSameChains(List<Integer> replicas) throws Exception {
        long height = Long.MAX_VALUE;
        for (int r : replicas) {
            height = Math.min(height, probe.height(r));
        }
        List<String> reference = probe.hashes(replicas.get(0), height);
        for (int r : replicas.subList(1, replicas.size())) {
            assertThat(probe.hashes(r, height)).as("replica %d agrees with replica %d up to height %d",
                    r, replicas.get(0), height).isEqualTo(reference);
        }
    }

    @Test
    @Order(1)
    void killingThePrimaryLeadsToANewViewAndNewTransactionsCommit() throws Exception {
        for (int i = 0; i < 5; i++) {
            commitWithWait(1 + i % 3, tx("warm-up"));
        }
        int primary = probe.consensus(1).get("primary").asInt();
        long viewBefore = probe.view(1);
        cluster.kill(primary);
        DOWN.add(primary);

        int via = (primary + 1) % N;
        Transaction afterCrash = tx("after-primary-crash");
        long start = System.nanoTime();
        assertThat(probe.submit(via, afterCrash, 0).statusCode()).isEqualTo(202);
        assertThat(eventually(Duration.ofSeconds(30), () -> probe.committed(via, afterCrash)))
                .as("a transaction commits after the primary's crash; log of %d:%n%s", via, cluster.log(via)).isTrue();
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertThat(probe.view(via)).isGreaterThan(viewBefore);
        assertThat(seconds).as("view change and commit within a few seconds").isLessThan(15);
        assertSameChains(up());
    }

    @Test
    @Order(2)
    void aRestartedBackupCatchesUpAcrossCheckpointsAndThenCountsInQuorums() throws Exception {
        int restarted = DOWN.get(0);
        List<Integer> alive = up();
        // Three checkpoint intervals (10 sequences each) of transactions while it is down.
        for (int i = 0; i < 35; i++) {
            commitWithWait(alive.get(i % alive.size()), tx("while-down-" + (i % 5)));
        }
        long target = probe.height(alive.get(0));
        assertThat(probe.consensus(alive.get(0)).get("stableCheckpoint").asLong()).isGreaterThanOrEqualTo(30);

        cluster.restart(restarted);
        DOWN.remove(Integer.valueOf(restarted));
        assertThat(eventually(Duration.ofSeconds(90), () -> probe.height(restarted) >= target))
                .as("replica %d catches up to height %d; log:%n%s", restarted, target, cluster.log(restarted)).isTrue();
        assertThat(probe.hashes(restarted, target)).isEqualTo(probe.hashes(alive.get(0), target));

        int primary = probe.consensus(alive.get(0)).get("primary").asInt();
        int other = alive.stream().filter(r -> r != primary).findFirst().orElseThrow();
        cluster.kill(other);
        DOWN.add(other);
        // Now a quorum of 3 needs the restarted replica.
        Transaction needsIt = tx("needs-restarted");
        commitWithWait(primary, needsIt);
        assertThat(eventually(Duration.ofSeconds(20), () -> probe.committed(restarted, needsIt))).isTrue();
        assertSameChains(up());
    }

    @Test
    @Order(3)
    void withTwoOfFourDownNothingCommitsOrDivergesAndProgressResumesWhenOneReturns() throws Exception {
        int primary = probe.consensus(up().get(0)).get("primary").asInt();
        int second = up().stream().filter(r -> r != primary).findFirst().orElseThrow();
        cluster.kill(second);
        DOWN.add(second);
        List<Integer> alive = up();
        long heightBefore = probe.height(alive.get(0));

        Transaction stuck = tx("two-down");
        assertThat(probe.submit(alive.get(0), stuck, 0).statusCode()).isEqualTo(202);
        Thread.sleep(5_000);
        for (int r : alive) {
            assertThat(probe.committed(r, stuck)).as("nothing commits without a quorum").isFalse();
            assertThat(probe.height(r)).isEqualTo(heightBefore);
        }
        assertSameChains(alive);

        cluster.restart(second);
        DOWN.remove(Integer.valueOf(second));
        assertThat(eventually(Duration.ofSeconds(90), () -> probe.committed(alive.get(0), stuck)))
                .as("progress resumes once a quorum is back; log of %d:%n%s", alive.get(0), cluster.log(alive.get(0)))
                .isTrue();
        int last = DOWN.get(0);
        cluster.restart(last);
        DOWN.remove(Integer.valueOf(last));
        long height = probe.height(alive.get(0));
        assertThat(eventually(Duration.ofSeconds(90), () -> probe.height(last) >= height)).isTrue();
        assertSameChains(up());
    }

    @Test
    @Order(4)
    void afterAWholeClusterSigkillTheChainIsIntactAndCommittingResumes() throws Exception {
        assertThat(DOWN).isEmpty();
        long height = probe.height(0);
        List<String> before = probe.hashes(0, height);
        for (int i = 0; i < N; i++) {
            cluster.kill(i);
        }
        for (int i = 0; i < N; i++) {
            cluster.restart(i);
        }
        for (int i = 0; i < N; i++) {
            assertThat(probe.hashes(i, height)).as("replica %d kept its chain", i).isEqualTo(before);
        }
        Transaction afterRestart = tx("after-restart");
        commitWithWait(2, afterRestart);
        assertThat(eventually(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < N; i++) {
                if (!probe.committed(i, afterRestart)) {
                    return false;
                }
            }
            return true;
        })).isTrue();
        for (int i = 0; i < N; i++) {
            assertThat(probe.verify(i).get("valid").asBoolean()).as("chain of replica %d verifies", i).isTrue();
        }
        assertSameChains(up());
    }

    @Test
    @Order(5)
    void aReplicaStartedOnAnEmptyDataDirectoryRebuildsTheChainFromItsPeers() throws Exception {
        int wiped = 3;
        cluster.kill(wiped);
        deleteRecursively(dir.resolve("keys/data/replica-" + wiped));
        for (int i = 0; i < 12; i++) {
            commitWithWait(i % 3, tx("while-wiped"));
        }
        cluster.restart(wiped);
        // Blocks keep committing while it catches up.
        for (int i = 0; i < 10; i++) {
            commitWithWait(i % 3, tx("during-catch-up"));
        }
        long target = probe.height(0);
        assertThat(eventually(Duration.ofSeconds(90), () -> probe.height(wiped) >= target))
                .as("the wiped replica rebuilds its chain; log:%n%s", cluster.log(wiped)).isTrue();
        assertThat(probe.hashes(wiped, target)).isEqualTo(probe.hashes(0, target));
        assertThat(probe.verify(wiped).get("valid").asBoolean()).isTrue();
    }

    /** Issue "trust nobody": {@code verify} catches a block edited directly in one replica's database. */
    @Test
    @Order(6)
    void verifyCatchesATransactionEditedDirectlyInOneReplicasDatabase() throws Exception {
        int victim = 1;
        assertThat(probe.height(victim)).isGreaterThan(2);
        cluster.kill(victim);
        String url = "jdbc:h2:file:" + dir.resolve("keys/data/replica-" + victim + "/ledger").toAbsolutePath();
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement sql = db.createStatement()) {
            int edited = sql.executeUpdate("update transactions set payload = '{\"n\":-1}' "
                    + "where block_height = 2 and tx_index = 0");
            assertThat(edited).isEqualTo(1);
        }
        cluster.restart(victim);

        VerifyRun tampered = verify(victim);
        assertThat(tampered.exitCode()).as(tampered.out()).isEqualTo(1);
        assertThat(tampered.out()).contains("INVALID block 2");
        VerifyRun honest = verify(0);
        assertThat(honest.exitCode()).as(honest.out() + honest.err()).isZero();
        assertThat(honest.out()).startsWith("OK: ");
    }

    private record VerifyRun(int exitCode, String out, String err) {
    }

    private static VerifyRun verify(int replica) {
        picocli.CommandLine cli = io.pbftledger.cli.PbftLedgerCli.newCommandLine();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        int code = cli.execute("verify", "--membership", dir.resolve("keys/membership.yml").toString(),
                "--node", cluster.url(replica));
        return new VerifyRun(code, out.toString(), err.toString());
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }
}
