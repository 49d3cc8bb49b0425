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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replica 3 runs with ledger.fault-injection.mode=replay-flood: it takes part honestly and re-sends
 * its old VIEW-CHANGE, NEW-VIEW and FORWARD messages (the FORWARDs of executed transactions) to
 * every peer as fast as its flood loop goes. A view change (the first primary is killed, then
 * restarted) gives it view-change messages to replay. The honest replicas keep committing, never
 * diverge, verify their chains, and count what they dropped before the consensus thread.
 */
@ProcessTest
class ReplayFloodClusterTest {
    private static final int N = 4;
    private static final int FLOODER = 3;
    private static final Pattern TRANSPORT_DROPS = Pattern.compile(
            "pbft_messages_dropped_total\\{[^}]*reason=\"(replayed|already_executed|over_budget_[a-z]+)\"[^}]*"
                    + "stage=\"transport\"[^}]*} ([0-9.eE+]+)");

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
            if (i == FLOODER) {
                args.add("--ledger.fault-injection.enabled=true");
                args.add("--ledger.fault-injection.mode=replay-flood");
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

    private static List<Transaction> submit(ClientIdentity client, int from, int count, List<Integer> replicas)
            throws Exception {
        List<Transaction> sent = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Transaction tx = client.sign(i, "flood-" + (i % 5), "{\"i\":" + i + "}");
            HttpResponse<String> r = probe.submit(replicas.get(i % replicas.size()), tx, 0);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            sent.add(tx);
        }
        return sent;
    }

    private static boolean allCommitted(List<Transaction> sent, List<Integer> on) throws Exception {
        for (Transaction tx : sent) {
            for (int r : on) {
                if (!probe.committed(r, tx)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double transportDrops(int replica) throws Exception {
        String metrics = cluster.get(replica, "/actuator/prometheus").body();
        double total = 0;
        Matcher m = TRANSPORT_DROPS.matcher(metrics);
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }

    @Test
    void honestReplicasKeepCommittingNeverDivergeAndCountTheFloodTheyDropped() throws Exception {
        assertThat(cluster.log(FLOODER)).contains("FAULT INJECTION ENABLED");
        ClientIdentity client = cluster.clients.get(1);
        // Sent to the flooder too: it relays them to the primary in FORWARDs, which it replays later.
        List<Transaction> first = submit(client, 0, 12, List.of(1, 2, 3));
        assertThat(eventually(Duration.ofSeconds(60), () -> allCommitted(first, List.of(0, 1, 2))))
                .as("log of replica 1:%n%s", cluster.log(1)).isTrue();

        // A view change, so that the flooder has VIEW-CHANGEs to replay.
        cluster.kill(0);
        List<Transaction> second = submit(client, 100, 9, List.of(1, 2, 3));
        assertThat(eventually(Duration.ofSeconds(60), () -> allCommitted(second, List.of(1, 2))))
                .as("commits in the next view; log of replica 1:%n%s", cluster.log(1)).isTrue();
        assertThat(probe.view(1)).isGreaterThan(0);
        cluster.restart(0);

        List<Transaction> third = submit(client, 200, 30, List.of(0, 1, 2, 3));
        assertThat(eventually(Duration.ofSeconds(90), () -> allCommitted(third, List.of(0, 1, 2))))
                .as("honest replicas keep committing under the flood; log of replica 1:%n%s", cluster.log(1))
                .isTrue();

        long height = Math.min(probe.height(0), Math.min(probe.height(1), probe.height(2)));
        List<String> reference = probe.hashes(1, height);
        assertThat(probe.hashes(0, height)).isEqualTo(reference);
        assertThat(probe.hashes(2, height)).isEqualTo(reference);
        for (int r = 0; r < N - 1; r++) {
            assertThat(probe.verify(r).get("valid").asBoolean()).as("chain/verify on replica %d", r).isTrue();
        }
        for (int r = 1; r < N - 1; r++) {
            int replica = r;
            assertThat(eventually(Duration.ofSeconds(30), () -> transportDrops(replica) > 0))
                    .as("replica %d counts the replays it dropped before the consensus thread", r).isTrue();
        }
    }
}
