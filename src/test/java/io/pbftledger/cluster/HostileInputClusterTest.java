package io.pbftledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.TransactionJson;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.hostile.Answer;
import io.pbftledger.hostile.HeapSampler;
import io.pbftledger.hostile.HostileGenerator;
import io.pbftledger.hostile.HostileRequest;
import io.pbftledger.hostile.HostileRun;
import io.pbftledger.hostile.Kind;
import io.pbftledger.hostile.RawHttps;
import io.pbftledger.hostile.Tally;
import io.pbftledger.hostile.Target;
import io.pbftledger.testing.ProcessTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A hostile-input run against a live cluster: replica processes (-Xmx256m each) over mutual TLS on
 * loopback, replica 0 with closed reads; of the four replicas of the membership three run (one down,
 * f = 1), so every block needs replica 0's vote. About 3,200 requests of {@link HostileGenerator}
 * (malformed, oversized, deeply nested, huge, path-tricked, replayed, forged, wrong methods, with
 * valid transactions and reads mixed in) go to replica 0 over four connections while its heap is
 * sampled from its metrics endpoint. Afterwards: every answer was the expected one, every refusal
 * problem+json with a precise detail; the heap stayed under the limit; the replica is ready, in
 * the normal case and the same view, and commits a new transaction with the others; and the chain
 * holds exactly the valid transactions, once each, the same on every running replica, and verifies.
 *
 * <p>Seed: {@code -Dhostile.seed=<n>} (default 15).
 */
@Timeout(240)
@ProcessTest
class HostileInputClusterTest {
    private static final int REPLICAS = 4;
    /** Replicas 0..2 run and replica 3 stays down: every commit needs the target's vote. */
    private static final int RUNNING = 3;
    private static final int TARGET = 0;
    private static final int PEER = 1;
    private static final long SEED = Long.getLong("hostile.seed", 15);
    private static final int ORIGINALS = 24;
    private static final int CONNECTIONS = 4;
    private static final long RUN_TIMEOUT_MS = 150_000;

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static RawHttps http;
    /** The target's actuator: closed reads keep it off the API port, on a management port of its own. */
    private static RawHttps management;
    private static List<HostileRequest> requests;
    private static Tally tally;
    private static long heapMaxUsed;
    private static int heapSamples;
    private static long runMillis;
    private static Set<String> valid;
    private static Map<String, Long> dropsBefore;
    private static Transaction afterRun;
    private static HttpResponse<String> afterRunAnswer;

    @BeforeAll
    static void attack() throws Exception {
        long begin = System.nanoTime();
        int managementPort = freePort();
        cluster = LocalCluster.startTls(dir, REPLICAS, 3, i -> i == TARGET
                ? List.of("--ledger.view-change-timeout-ms=15000", "--ledger.api.reads=authenticated",
                        "--management.server.port=" + managementPort, "--management.server.address=127.0.0.1",
                        // every request meets the check it aims at, not the refused-requests limit of its address
                        "--ledger.api.rate-limit.bad-requests-burst-per-ip=100000")
                : List.of("--ledger.view-change-timeout-ms=15000"), RUNNING);
        http = new RawHttps(cluster.basePort + TARGET, dir.resolve("keys/tls"));
        management = new RawHttps(managementPort, dir.resolve("keys/tls"));
        long started = System.nanoTime();
        String cpuAtStart = cpu();
        List<Transaction> originals = submitOriginals();
        Target target = new Target(MembershipFile.load(dir.resolve("keys/membership.yml")), cluster.clients, PEER,
                KeyFiles.loadReplicaKey(dir.resolve("keys/replicas/replica-" + PEER + ".key")).privateKey(), originals,
                System::currentTimeMillis);
        requests = HostileGenerator.generate(SEED, target);
        valid = new HashSet<>();
        originals.forEach(tx -> valid.add(tx.txId().hex()));
        requests.forEach(r -> valid.addAll(r.stores()));
        dropsBefore = drops();

        long start = System.nanoTime();
        String cpuBeforeRun = cpu();
        try (HeapSampler heap = new HeapSampler(HostileInputClusterTest::heapUsed, 200)) {
            tally = new HostileRun(http, CONNECTIONS).run(requests, RUN_TIMEOUT_MS);
            heap.close();
            heapMaxUsed = heap.maxBytes();
            heapSamples = heap.samples();
        }
        runMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("CPU seconds (test JVM, replicas 0..2): up %s, before the run %s, after it %s; %d TLS connections "
                        + "(handshakes %.1f s)%n", cpuAtStart, cpuBeforeRun, cpu(), http.connections(), http.handshakeNanos() / 1e9);
        System.out.printf("hostile run (seed %d): %d requests in %.1f s, by kind and status:%n%sby status: %s; "
                        + "replica %d heap at most %.1f MiB of %d MiB (%d samples)%n", SEED, tally.requests(), runMillis / 1000.0,
                tally.summary(), tally.byStatus(), TARGET, heapMaxUsed / 1048576.0, LocalCluster.HEAP_MAX_MIB, heapSamples);

        tally.violationClasses().forEach((c, n) -> System.out.printf("violation x %d: %s%n", n, c));
        http.close();

        afterRun = cluster.clients.get(1).sign(3_000_000, "after-the-run", "{\"still\":\"working\"}");
        valid.add(afterRun.txId().hex());
        afterRunAnswer = cluster.post(TARGET, "/api/v1/transactions?wait=true&waitMs=30000", TransactionJson.body(afterRun));
        System.out.printf("cluster up in %.1f s, originals committed in %.1f s, run %.1f s, a new transaction committed "
                        + "after it in %.1f s; valid transactions to be stored: %d (%d before the run, %d in it, 1 after)%n",
                (started - begin) / 1e9, (start - started) / 1e9, runMillis / 1000.0,
                (System.nanoTime() - start) / 1e9 - runMillis / 1000.0, valid.size(), ORIGINALS, valid.size() - ORIGINALS - 1);
    }

    @AfterAll
    static void stop() {
        if (management != null) {
            management.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Valid transactions submitted before the run, to every replica: the replays and conflicts aim at them. */
    private static List<Transaction> submitOriginals() throws Exception {
        List<Transaction> originals = new ArrayList<>();
        for (int k = 0; k < ORIGINALS; k++) {
            ClientIdentity client = cluster.clients.get(k % 3);
            Transaction tx = client.sign(k, "hostile-" + k, "{\"original\":" + k + "}");
            // to the target: what it holds pending or executed is what the replays and conflicts meet
            HttpResponse<String> r = cluster.post(TARGET, "/api/v1/transactions", TransactionJson.body(tx));
            assertThat(r.statusCode()).as("original %d: %s", k, r.body()).isEqualTo(202);
            originals.add(tx);
        }
        Transaction last = originals.get(originals.size() - 1);
        HttpResponse<String> committed = cluster.post(TARGET, "/api/v1/transactions?wait=true&waitMs=60000", TransactionJson.body(last));
        assertThat(committed.statusCode()).as("the originals commit: %s", committed.body()).isEqualTo(200);
        return originals;
    }

    /** CPU seconds used so far by this JVM and each replica process. */
    private static String cpu() {
        StringBuilder sb = new StringBuilder(String.format("%.1f", ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9));
        for (int r = 0; r < RUNNING; r++) {
            sb.append(String.format(" %.1f", cluster.cpu(r).toMillis() / 1000.0));
        }
        return sb.toString();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long heapUsed() throws Exception {
        Answer a = management.send("GET", "/actuator/metrics/jvm.memory.used?tag=area:heap", List.of(), null, null);
        return (long) ClusterProbe.JSON.readTree(a.body()).get("measurements").get(0).get("value").asDouble();
    }

    private static JsonNode consensus() throws Exception {
        HttpResponse<String> r = cluster.getAsAdmin(TARGET, "/api/v1/consensus");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ClusterProbe.JSON.readTree(r.body());
    }

    private static Map<String, Long> drops() throws Exception {
        Map<String, Long> out = new HashMap<>();
        consensus().get("droppedMessages").properties().forEach(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    @Test
    void severalThousandRequestsOfEveryKindWereSentAndAnswered() {
        assertThat(tally.requests()).isGreaterThan(3_000);
        for (Kind kind : Kind.values()) {
            assertThat(tally.requests(kind)).as("requests of kind %s", kind).isGreaterThanOrEqualTo(50);
        }
        assertThat(tally.byStatus()).as("requests without any answer").doesNotContainKey(-1);
        assertThat(runMillis).as("the run is bounded").isLessThan(RUN_TIMEOUT_MS);
    }

    @Test
    void everyAnswerWasTheExpectedOneAndEveryRefusalAProblemWithAPreciseDetail() {
        assertThat(tally.violations()).as("%d violations in %d requests; the first ones", tally.violationCount(),
                tally.requests()).isEmpty();
        assertThat(tally.byStatus().keySet()).as("no server errors").allMatch(s -> s < 500);
    }

    @Test
    void theReplicasHeapStayedUnderItsLimitAndNoThreadFailed() throws Exception {
        assertThat(heapSamples).as("heap samples during the run").isGreaterThan(10);
        assertThat(heapMaxUsed).as("largest heap used (bytes)").isPositive()
                .isLessThan(LocalCluster.HEAP_MAX_MIB * 1048576L);
        assertThat(cluster.alive(TARGET)).isTrue();
        String log = Files.readString(cluster.logFile(TARGET));
        assertThat(log).doesNotContain("OutOfMemoryError").doesNotContain("unexpected error answering an API request");
        Answer metrics = management.send("GET", "/actuator/prometheus", List.of(), null, null);
        assertThat(metrics.body().lines().filter(l -> l.startsWith("pbft_thread_failures_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum())
                .as("thread failures").isZero();
    }

    @Test
    void forgedAndReplayedPeerMessagesWereDroppedAndCounted() throws Exception {
        Map<String, Long> after = drops();
        for (String reason : List.of("replayed", "bad_signature", "non_member", "malformed", "wrong_kind")) {
            assertThat(after.getOrDefault(reason, 0L) - dropsBefore.getOrDefault(reason, 0L))
                    .as("drops for %s: %s", reason, after).isPositive();
        }
    }

    @Test
    void theReplicaIsReadyInTheNormalCaseAndStillCommitsWithTheOthers() throws Exception {
        assertThat(afterRunAnswer.statusCode()).as(afterRunAnswer.body()).isEqualTo(200);
        assertThat(ClusterProbe.JSON.readTree(afterRunAnswer.body()).get("status").asString()).isEqualTo("COMMITTED");
        for (int r = 1; r < RUNNING; r++) {
            int replica = r;
            assertThat(ClusterProbe.eventually(Duration.ofSeconds(30), () -> new ClusterProbe(cluster).committed(replica, afterRun)))
                    .as("committed at replica %d", r).isTrue();
        }
        HttpResponse<String> ready = cluster.get(TARGET, "/readyz");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
        JsonNode consensus = consensus();
        assertThat(consensus.get("status").asString()).isEqualTo("NORMAL");
        for (JsonNode peer : consensus.get("peers")) {
            if (peer.get("id").asInt() < RUNNING) {
                assertThat(peer.get("reachable").asBoolean()).as("peer %s", peer).isTrue();
                assertThat(peer.get("link").asString()).as("peer %s", peer).isEqualTo("UP");
            }
        }
        assertThat(consensus.get("view").asLong()).as("no view change: the target stayed primary").isZero();
    }

    @Test
    void theChainHoldsExactlyTheValidTransactionsOnceEachOnEveryReplicaAndVerifies() throws Exception {
        awaitQuiescent();
        Map<String, Integer> seen = new HashMap<>();
        List<String> chain = blockHashes(seen);
        assertThat(seen.keySet()).as("stored transactions").isEqualTo(valid);
        assertThat(seen.entrySet()).as("transactions stored more than once").allMatch(e -> e.getValue() == 1);
        ClusterProbe probe = new ClusterProbe(cluster);
        for (int r = 1; r < RUNNING; r++) {
            assertThat(probe.hashes(r, chain.size() - 1)).as("replica %d holds replica %d's chain", r, TARGET)
                    .isEqualTo(chain.subList(1, chain.size()));
        }
        JsonNode verify = ClusterProbe.JSON.readTree(cluster.getAsAdmin(TARGET, "/api/v1/chain/verify").body());
        assertThat(verify.get("valid").asBoolean()).as("chain verification: %s", verify).isTrue();
    }

    /** Waits until no replica has pending transactions and all stand at one height. */
    private static void awaitQuiescent() throws Exception {
        assertThat(ClusterProbe.eventually(Duration.ofSeconds(60), () -> {
            Set<Long> heights = new HashSet<>();
            long pending = 0;
            for (int r = 0; r < RUNNING; r++) {
                HttpResponse<String> c = r == TARGET ? cluster.getAsAdmin(r, "/api/v1/consensus") : cluster.get(r, "/api/v1/consensus");
                JsonNode node = ClusterProbe.JSON.readTree(c.body());
                heights.add(node.get("height").asLong());
                pending += node.get("pendingTransactions").asLong();
            }
            return pending == 0 && heights.size() == 1;
        })).as("the cluster settles").isTrue();
    }

    /** Replica 0's block hashes, height 0 first, counting each stored txId into {@code seen}. */
    private static List<String> blockHashes(Map<String, Integer> seen) throws Exception {
        List<String> hashes = new ArrayList<>();
        String path = "/api/v1/blocks?limit=100";
        while (path != null) {
            JsonNode page = ClusterProbe.JSON.readTree(cluster.getAsAdmin(TARGET, path).body());
            for (JsonNode block : page.get("blocks")) {
                hashes.add(0, block.get("hash").asString());
                if (block.get("transactionCount").asInt() > 0) {
                    JsonNode txs = ClusterProbe.JSON.readTree(cluster.getAsAdmin(TARGET,
                            "/api/v1/blocks/" + block.get("height").asLong() + "/transactions").body());
                    for (JsonNode t : txs.has("transactions") ? txs.get("transactions") : txs) {
                        seen.merge(t.get("txId").asString(), 1, Integer::sum);
                    }
                }
            }
            JsonNode next = page.get("next");
            path = next == null || next.isNull() ? null : "/api/v1/blocks?limit=100&before=" + next.asLong();
        }
        return hashes;
    }
}
