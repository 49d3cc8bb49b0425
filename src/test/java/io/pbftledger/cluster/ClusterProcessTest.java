package io.pbftledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.cli.TransactionJson;
import io.pbftledger.testing.ProcessTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Four real replica processes on loopback with real HTTP, one cluster for the whole class:
 * 1,000 signed transactions from 8 concurrent clients through different replicas all commit exactly
 * once, every replica ends with the same block hash at every height, and each verifies its chain.
 */
@ProcessTest
class ClusterProcessTest {
    private static final int REPLICAS = 4;
    private static final int CLIENTS = 8;
    private static final int PER_CLIENT = 125;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        // The default timeouts: the pipeline and rate-following admission keep a loaded cluster out of
        // view changes it does not need. Replica 0 asks its peers for HTTP/2 (h2c); replica 3's server
        // speaks HTTP/1.1 only.
        cluster = LocalCluster.start(dir, REPLICAS, CLIENTS, i -> switch (i) {
            case 0 -> List.of("--ledger.peer.http2=true");
            case 3 -> List.of("--server.http2.enabled=false");
            default -> List.of();
        });
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static String body(Transaction tx) {
        return TransactionJson.body(tx);
    }

    @Test
    void thousandTransactionsFromEightClientsCommitExactlyOnceOnIdenticalChains() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<String>>> submitted = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            ClientIdentity client = cluster.clients.get(c);
            int clientIndex = c;
            submitted.add(pool.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int k = 0; k < PER_CLIENT; k++) {
                    Transaction tx = client.sign(k, "account-" + clientIndex + "-" + (k % 10),
                            "{\"client\":" + clientIndex + ",\"n\":" + k + ",\"memo\":\"" + "x".repeat(64) + "\"}");
                    int replica = (clientIndex + k) % REPLICAS;
                    HttpResponse<String> r = cluster.post(replica, "/api/v1/transactions", body(tx));
                    assertThat(r.statusCode()).as("submit to replica %d: %s", replica, r.body()).isEqualTo(202);
                    assertThat(JSON.readTree(r.body()).get("txId").asString()).isEqualTo(tx.txId().hex());
                    ids.add(tx.txId().hex());
                }
                return ids;
            }));
        }
        Set<String> expected = new HashSet<>();
        for (Future<List<String>> f : submitted) {
            expected.addAll(f.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();
        assertThat(expected).hasSize(CLIENTS * PER_CLIENT);

        awaitQuiescent(Duration.ofMinutes(2));
        Map<String, Integer> seen = new HashMap<>();
        Map<Integer, List<String>> chains = new HashMap<>();
        for (int r = 0; r < REPLICAS; r++) {
            chains.put(r, blockHashes(r, r == 0 ? seen : null));
        }
        assertThat(seen.keySet()).as("every submitted transaction is in the chain").containsAll(expected);
        assertThat(seen.values()).as("every transaction appears exactly once").allMatch(n -> n == 1);
        for (int r = 1; r < REPLICAS; r++) {
            assertThat(chains.get(r)).as("replica %d holds the same chain as replica 0", r).isEqualTo(chains.get(0));
        }
        for (int r = 0; r < REPLICAS; r++) {
            JsonNode verify = JSON.readTree(cluster.getAsAdmin(r, "/api/v1/chain/verify").body());
            assertThat(verify.get("valid").asBoolean()).as("chain of replica %d: %s", r, verify).isTrue();
            assertThat(verify.get("height").asLong()).isEqualTo(chains.get(0).size() - 1);
        }
        // An auditor holding only the membership file checks a replica's whole chain with the CLI.
        int audit = PbftLedgerCli.newCommandLine().execute("verify", "--membership",
                dir.resolve("keys/membership.yml").toString(), "--node", cluster.url(1));
        assertThat(audit).as("verify --node replica 1 exits 0").isZero();
    }

    @Test
    void waitTrueAnswersWithTheCommittedLocationAndAResubmissionElsewhereReturnsTheSame() throws Exception {
        ClientIdentity client = cluster.clients.get(0);
        Transaction tx = client.sign(1_000_000, "waited", "{\"hello\":\"world\"}");
        HttpResponse<String> r = cluster.post(2, "/api/v1/transactions?wait=true", body(tx));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode committed = JSON.readTree(r.body());
        assertThat(committed.get("status").asString()).isEqualTo("COMMITTED");
        long height = committed.get("blockHeight").asLong();

        HttpResponse<String> again = cluster.post(1, "/api/v1/transactions?wait=true", body(tx));
        JsonNode second = JSON.readTree(again.body());
        assertThat(second.get("blockHeight").asLong()).isEqualTo(height);
        assertThat(second.get("blockHash").asString()).isEqualTo(committed.get("blockHash").asString());

        JsonNode state = JSON.readTree(cluster.get(3, "/api/v1/state/waited").body());
        assertThat(state.get("value").get("hello").asString()).isEqualTo("world");
    }

    @Test
    void aReplicaAskingForHttp2GetsItOverPlainHttpFromPeersThatSpeakItAndHttp11FromOneThatDoesNot() throws Exception {
        ClusterProbe probe = new ClusterProbe(cluster);
        Transaction tx = cluster.clients.get(1).sign(2_000_000, "h2c", "{\"over\":\"h2c\"}");
        assertThat(probe.submit(0, tx, 30_000).statusCode()).isEqualTo(200);
        Map<Integer, String> expected = Map.of(1, "HTTP/2", 2, "HTTP/2", 3, "HTTP/1.1");
        assertThat(ClusterProbe.eventually(Duration.ofSeconds(30), () -> probe.peerProtocols(0).equals(expected)))
                .as("replica 0 (ledger.peer.http2=true) sends to peers over %s; its log:%n%s", probe.peerProtocols(0),
                        cluster.log(0)).isTrue();
        Map<Integer, String> plain = Map.of(0, "HTTP/1.1", 2, "HTTP/1.1", 3, "HTTP/1.1");
        assertThat(ClusterProbe.eventually(Duration.ofSeconds(30), () -> probe.peerProtocols(1).equals(plain)))
                .as("replica 1 (the default) stays on HTTP/1.1: %s", probe.peerProtocols(1)).isTrue();
        for (int r = 0; r < REPLICAS; r++) {
            int replica = r;
            assertThat(ClusterProbe.eventually(Duration.ofSeconds(30), () -> probe.committed(replica, tx)))
                    .as("committed at replica %d", r).isTrue();
        }
    }

    /** Waits until no replica has pending transactions and all stand at the same height. */
    private static void awaitQuiescent(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<Long> heights = new HashSet<>();
            long pending = 0;
            for (int r = 0; r < REPLICAS; r++) {
                JsonNode consensus = JSON.readTree(cluster.get(r, "/api/v1/consensus").body());
                heights.add(consensus.get("height").asLong());
                pending += consensus.get("pendingTransactions").asLong();
            }
            if (pending == 0 && heights.size() == 1) {
                return;
            }
            assertThat(System.nanoTime()).as("the cluster settles within %s (heights %s, pending %d); replica 0 log:%n%s",
                    timeout, heights, pending, cluster.log(0)).isLessThan(deadline);
            Thread.sleep(300);
        }
    }

    /** Block hashes of heights 0..latest, collecting txId occurrences into {@code seen} when given. */
    private static List<String> blockHashes(int replica, Map<String, Integer> seen) throws Exception {
        List<String> hashes = new ArrayList<>();
        Long before = null;
        while (true) {
            String path = "/api/v1/blocks?limit=100" + (before == null ? "" : "&before=" + before);
            JsonNode page = JSON.readTree(cluster.get(replica, path).body());
            for (JsonNode block : page.get("blocks")) {
                hashes.add(block.get("hash").asString());
                if (seen != null && block.get("transactionCount").asInt() > 0) {
                    long h = block.get("height").asLong();
                    JsonNode txs = JSON.readTree(cluster.get(replica, "/api/v1/blocks/" + h + "/transactions").body());
                    for (JsonNode t : txs.has("transactions") ? txs.get("transactions") : txs) {
                        seen.merge(t.get("txId").asString(), 1, Integer::sum);
                    }
                }
            }
            JsonNode next = page.get("next");
            if (next == null || next.isNull()) {
                break;
            }
            before = next.asLong();
        }
        Collections.reverse(hashes);
        return hashes;
    }
}
