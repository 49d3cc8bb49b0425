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
import tools.jackson.databind.JsonNode;

/**
 * Replica 3 runs with ledger.fault-injection.mode=checkpoint-flood: honest, but it also signs and sends
 * about 1,000 CHECKPOINTs a second for ever-increasing sequence numbers. The honest replicas keep
 * committing, never diverge, and hold a bounded number of checkpoint sequences (at most n × (L/K + 2)).
 */
@ProcessTest
class CheckpointFloodClusterTest {
    private static final int N = 4;
    private static final int FLOODER = 3;
    private static final long K = 10;
    private static final long L = 20;
    private static final long RETAINED_MAX = N * (L / K + 2);
    private static final Pattern RETAINED = Pattern.compile(
            "^pbft_checkpoint_sequences_retained(?:\\{[^}]*})? ([0-9.E]+)$", Pattern.MULTILINE);

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static ClusterProbe probe;

    @BeforeAll
    static void startCluster() throws Exception {
        List<String> common = List.of("--ledger.checkpoint-interval=" + K, "--ledger.watermark-window=" + L,
                "--ledger.view-change-timeout-ms=1000", "--ledger.retransmit-interval-ms=300");
        cluster = LocalCluster.start(dir, N, 2, i -> {
            List<String> args = new ArrayList<>(common);
            if (i == FLOODER) {
                args.add("--ledger.fault-injection.enabled=true");
                args.add("--ledger.fault-injection.mode=checkpoint-flood");
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

    private static long dropped(int replica, String reason) throws Exception {
        JsonNode d = probe.consensus(replica).get("droppedMessages").get(reason);
        return d == null ? 0 : d.asLong();
    }

    private static double retained(int replica) throws Exception {
        Matcher m = RETAINED.matcher(cluster.get(replica, "/actuator/prometheus").body());
        assertThat(m.find()).as("the gauge pbft_checkpoint_sequences_retained is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void honestReplicasKeepCommittingWithoutDivergingAndHoldBoundedCheckpointState() throws Exception {
        assertThat(cluster.log(FLOODER)).contains("FAULT INJECTION ENABLED");
        // the flood has reached every honest replica, far beyond the flooder's quota
        assertThat(eventually(Duration.ofSeconds(30), () -> {
            for (int r = 0; r < FLOODER; r++) {
                if (dropped(r, "checkpoint_quota") < 1_000) {
                    return false;
                }
            }
            return true;
        })).as("the honest replicas receive the flood; log of replica 0:%n%s", cluster.log(0)).isTrue();

        ClientIdentity client = cluster.clients.get(1);
        List<Transaction> sent = new ArrayList<>();
        double maxRetained = 0;
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 10; i++) {
                int n = round * 10 + i;
                Transaction tx = client.sign(n, "flood-" + (n % 5), "{\"i\":" + n + "}");
                HttpResponse<String> r = probe.submit(n % FLOODER, tx, 0);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                sent.add(tx);
            }
            assertThat(eventually(Duration.ofSeconds(60), () -> {
                for (Transaction tx : sent) {
                    for (int r = 0; r < FLOODER; r++) {
                        if (!probe.committed(r, tx)) {
                            return false;
                        }
                    }
                }
                return true;
            })).as("round %d commits on every honest replica; log of replica 0:%n%s", round, cluster.log(0)).isTrue();
            for (int r = 0; r < FLOODER; r++) {
                double now = retained(r);
                maxRetained = Math.max(maxRetained, now);
                assertThat(now).as("checkpoint sequences held by replica %d", r).isLessThanOrEqualTo(RETAINED_MAX);
            }
        }
        System.out.printf("checkpoint flood: honest replicas dropped %d/%d/%d over quota, held at most %.0f sequences%n",
                dropped(0, "checkpoint_quota"), dropped(1, "checkpoint_quota"), dropped(2, "checkpoint_quota"), maxRetained);

        for (int r = 0; r < FLOODER; r++) {
            assertThat(dropped(r, "checkpoint_off_interval")).as("off-interval checkpoints refused by %d", r)
                    .isPositive();
            assertThat(probe.verify(r).get("valid").asBoolean()).as("chain/verify on replica %d", r).isTrue();
        }
        long height = Math.min(probe.height(0), Math.min(probe.height(1), probe.height(2)));
        assertThat(height).isGreaterThanOrEqualTo(1);
        List<String> reference = probe.hashes(0, height);
        assertThat(probe.hashes(1, height)).isEqualTo(reference);
        assertThat(probe.hashes(2, height)).isEqualTo(reference);
    }
}
