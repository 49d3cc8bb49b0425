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
 * Replica 0, the first primary, runs with ledger.fault-injection.mode=censoring-primary and
 * censors client-2: it keeps proposing client-1's steady stream but never client-2's transaction.
 * The backups' per-request timers replace it; the censored transaction commits in a later view and
 * the honest replicas never diverge.
 */
@ProcessTest
class CensoringPrimaryClusterTest {
    private static final int N = 4;
    private static final int CENSOR = 0;
    private static final String CENSORED = "client-2";

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static ClusterProbe probe;

    @BeforeAll
    static void startCluster() throws Exception {
        List<String> common = List.of("--ledger.checkpoint-interval=10", "--ledger.watermark-window=20",
                "--ledger.view-change-timeout-ms=1000", "--ledger.retransmit-interval-ms=300");
        cluster = LocalCluster.start(dir, N, 3, i -> {
            List<String> args = new ArrayList<>(common);
            if (i == CENSOR) {
                args.add("--ledger.fault-injection.enabled=true");
                args.add("--ledger.fault-injection.mode=censoring-primary");
                args.add("--ledger.fault-injection.censored-clients=" + CENSORED);
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
    void theCensoredClientsTransactionCommitsAfterAViewChangeWhileTheOthersKeepFlowing() throws Exception {
        assertThat(cluster.log(CENSOR)).contains("FAULT INJECTION ENABLED");
        ClientIdentity steady = cluster.clients.get(1);
        ClientIdentity censored = cluster.clients.get(2);
        assertThat(censored.clientId()).isEqualTo(CENSORED);
        List<Transaction> stream = new ArrayList<>();
        long[] nonce = {0};
        // The steady client keeps the censoring primary busy before and while the censored one waits.
        for (int i = 0; i < 5; i++) {
            stream.add(submitSteady(steady, nonce));
        }
        assertThat(eventually(Duration.ofSeconds(30), () -> probe.committed(1, stream.get(4))))
                .as("the steady stream commits under the censoring primary").isTrue();
        assertThat(probe.view(1)).isZero();

        Transaction victim = censored.sign(0, "censored", "{\"v\":1}");
        for (int r = 0; r < N; r++) {
            HttpResponse<String> resp = probe.submit(r, victim, 0);
            assertThat(resp.statusCode()).as(resp.body()).isEqualTo(202);
        }
        assertThat(eventually(Duration.ofSeconds(60), () -> {
            stream.add(submitSteady(steady, nonce));
            for (int r = 1; r < N; r++) {
                if (!probe.committed(r, victim)) {
                    return false;
                }
            }
            return true;
        })).as("the censored transaction commits on every honest replica; log of replica 1:%n%s", cluster.log(1))
                .isTrue();

        Transaction last = stream.get(stream.size() - 1);
        assertThat(eventually(Duration.ofSeconds(30), () -> {
            for (int r = 1; r < N; r++) {
                if (!probe.committed(r, last)) {
                    return false;
                }
            }
            return true;
        })).as("the steady stream keeps committing").isTrue();
        for (int r = 1; r < N; r++) {
            assertThat(probe.view(r)).as("the censoring primary was replaced").isGreaterThan(0);
            assertThat(probe.verify(r).get("valid").asBoolean()).isTrue();
        }
        long height = Math.min(probe.height(1), Math.min(probe.height(2), probe.height(3)));
        List<String> reference = probe.hashes(1, height);
        assertThat(probe.hashes(2, height)).isEqualTo(reference);
        assertThat(probe.hashes(3, height)).isEqualTo(reference);
    }

    /** One transaction of the steady client, sent to every replica as a client does. */
    private static Transaction submitSteady(ClientIdentity steady, long[] nonce) throws Exception {
        Transaction tx = steady.sign(nonce[0], "steady-" + (nonce[0] % 4), "{\"i\":" + nonce[0] + "}");
        nonce[0]++;
        for (int r = 0; r < N; r++) {
            HttpResponse<String> resp = probe.submit(r, tx, 0);
            assertThat(resp.statusCode()).as(resp.body()).isIn(200, 202);
        }
        return tx;
    }
}
