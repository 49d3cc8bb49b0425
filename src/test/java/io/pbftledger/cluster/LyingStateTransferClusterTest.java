package io.pbftledger.cluster;

import static io.pbftledger.cluster.ClusterProbe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.testing.ProcessTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replica 2 runs with ledger.fault-injection.mode=lying-state-transfer: it answers state-transfer
 * block pages with one committed block left out and the later heights renumbered, their hashes
 * recomputed. Replica 1 is wiped; state transfer asks its peers in the order 2, 3, 0, so the liar
 * is the first one it asks. It must still rebuild the honest chain, and then count in quorums.
 */
@ProcessTest
class LyingStateTransferClusterTest {
    private static final int N = 4;
    private static final int LIAR = 2;
    private static final int WIPED = 1;

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static ClusterProbe probe;
    private static ClientIdentity client;
    private static long nonce;

    @BeforeAll
    static void startCluster() throws Exception {
        List<String> common = List.of("--ledger.checkpoint-interval=10", "--ledger.watermark-window=20",
                "--ledger.view-change-timeout-ms=3000", "--ledger.retransmit-interval-ms=300");
        cluster = LocalCluster.start(dir, N, 1, i -> {
            List<String> args = new java.util.ArrayList<>(common);
            if (i == LIAR) {
                args.add("--ledger.fault-injection.enabled=true");
                args.add("--ledger.fault-injection.mode=lying-state-transfer");
            }
            return args;
        });
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

    private static void commitWithWait(int replica, Transaction tx) throws Exception {
        HttpResponse<String> r = probe.submit(replica, tx, 20_000);
        assertThat(r.statusCode()).as("commit through replica %d: %s%nlog:%n%s", replica, r.body(), cluster.log(replica))
                .isEqualTo(200);
    }

    @Test
    void aWipedReplicaWhoseFirstPeerLiesRebuildsTheHonestChainAndThenCountsInQuorums() throws Exception {
        assertThat(cluster.log(LIAR)).contains("FAULT INJECTION ENABLED");
        for (int i = 0; i < 3; i++) {
            commitWithWait(i % 3, tx("warm-up"));
        }
        cluster.kill(WIPED);
        deleteRecursively(dir.resolve("keys/data/replica-" + WIPED));
        int[] up = {0, 2, 3};
        for (int i = 0; i < 25; i++) {
            commitWithWait(up[i % 3], tx("while-wiped-" + (i % 5)));
        }
        cluster.restart(WIPED);
        // Blocks keep committing (and checkpoints becoming stable) while it catches up.
        for (int i = 0; i < 12; i++) {
            commitWithWait(up[i % 3], tx("during-catch-up"));
        }
        long target = probe.height(0);
        assertThat(eventually(Duration.ofSeconds(90), () -> probe.height(WIPED) >= target))
                .as("the wiped replica rebuilds its chain; log:%n%s", cluster.log(WIPED)).isTrue();
        // the whole log: catching up logs a line per block after the warning, more than log() shows
        assertThat(Files.readString(cluster.logFile(WIPED))).as("the liar was asked and caught")
                .contains("state transfer: replica " + LIAR + " served a chain that does not verify");
        List<String> honest = probe.hashes(0, target);
        assertThat(honest).doesNotContain("missing");
        for (int r = 1; r < N; r++) {
            assertThat(probe.hashes(r, target)).as("replica %d holds the honest block at every height", r)
                    .isEqualTo(honest);
        }

        // With replica 3 down, every quorum needs the replica that recovered.
        cluster.kill(3);
        Transaction needsIt = tx("needs-recovered");
        commitWithWait(0, needsIt);
        assertThat(eventually(Duration.ofSeconds(30), () -> probe.committed(WIPED, needsIt)))
                .as("log of %d:%n%s", WIPED, cluster.log(WIPED)).isTrue();
        cluster.restart(3);
        Transaction last = tx("after-restart");
        commitWithWait(3, last);
        long height = probe.height(0);
        for (int r = 0; r < N; r++) {
            int replica = r;
            assertThat(eventually(Duration.ofSeconds(60), () -> probe.committed(replica, last) && probe.height(replica) >= height))
                    .as("replica %d keeps committing; log:%n%s", r, cluster.log(r)).isTrue();
            assertThat(probe.verify(r).get("valid").asBoolean()).as("chain/verify on replica %d", r).isTrue();
        }
        List<String> reference = probe.hashes(0, height);
        for (int r = 1; r < N; r++) {
            assertThat(probe.hashes(r, height)).as("replica %d agrees with replica 0", r).isEqualTo(reference);
        }
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
