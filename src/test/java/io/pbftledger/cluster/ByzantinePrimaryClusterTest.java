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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replica 0, the first primary, runs with ledger.fault-injection.mode=equivocating-primary: it sends
 * different batches for the same sequence number to different backups. The honest replicas must
 * never diverge, and transactions commit once a view change replaces it.
 */
@ProcessTest
class ByzantinePrimaryClusterTest {
    private static final int N = 4;
    private static final int BYZANTINE = 0;

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static ClusterProbe probe;

    @BeforeAll
    static void startCluster() throws Exception {
        List<String> common = List.of("--ledger.checkpoint-interval=10", "--ledger.watermark-window=20",
                "--ledger.view-change-timeout-ms=1000", "--ledger.retransmit-interval-ms=300");
        cluster = LocalCluster.start(dir, N, 2, i -> {
            List<String> args = new ArrayList<>(common);
            if (i == BYZANTINE) {
                args.add("--ledger.fault-injection.enabled=true");
                args.add("--ledger.fault-injection.mode=equivocating-primary");
            }
            return args;
        });
        probe = new ClusterProbe(cluster);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void honestReplicasNeverDivergeAndTransactionsCommitAfterTheViewChange() throws Exception {
        assertThat(cluster.log(BYZANTINE)).contains("FAULT INJECTION ENABLED");
        ClientIdentity client = cluster.clients.get(1);
        List<Transaction> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Transaction tx = client.sign(i, "equivocation-" + (i % 4), "{\"i\":" + i + "}");
            HttpResponse<String> r = probe.submit(1 + i % 3, tx, 0);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            sent.add(tx);
        }
        assertThat(eventually(Duration.ofSeconds(60), () -> {
            for (Transaction tx : sent) {
                for (int r = 1; r < N; r++) {
                    if (!probe.committed(r, tx)) {
                        return false;
                    }
                }
            }
            return true;
        })).as("every transaction commits on every honest replica; log of replica 1:%n%s", cluster.log(1)).isTrue();

        for (int r = 1; r < N; r++) {
            assertThat(probe.view(r)).as("the equivocating primary was replaced").isGreaterThan(0);
            assertThat(probe.verify(r).get("valid").asBoolean()).isTrue();
        }
        long height = Math.min(probe.height(1), Math.min(probe.height(2), probe.height(3)));
        List<String> reference = probe.hashes(1, height);
        assertThat(probe.hashes(2, height)).isEqualTo(reference);
        assertThat(probe.hashes(3, height)).isEqualTo(reference);
    }
}
