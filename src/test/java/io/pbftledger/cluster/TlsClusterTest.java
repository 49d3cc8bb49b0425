package io.pbftledger.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.cli.tls.TlsFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.testing.ProcessTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Four real replica processes with keys from {@code keygen --tls}: they serve HTTPS only, order
 * transactions over mutual TLS between themselves, and their peer endpoints refuse anyone without
 * a replica certificate of the cluster CA. One cluster for the whole class.
 */
@ProcessTest
class TlsClusterTest {
    private static final int REPLICAS = 4;
    private static final int CLIENTS = 2;
    private static final byte[] NOT_A_MESSAGE = {1, 2, 3, 4};

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static ClusterProbe probe;

    @BeforeAll
    static void startCluster() throws Exception {
        // The default timeouts; replicas 0-2 ask their peers for HTTP/2 (negotiated by ALPN); replica 3
        // keeps HTTP/1.1
        cluster = LocalCluster.startTls(dir, REPLICAS, CLIENTS, i -> i < 3
                ? List.of("--ledger.peer.http2=true")
                : List.of());
        probe = new ClusterProbe(cluster);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void transactionsSubmittedOverHttpsCommitOnIdenticalChainsThroughMutualTlsBetweenReplicas() throws Exception {
        ClientIdentity client = cluster.clients.get(0);
        List<Transaction> txs = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            Transaction tx = client.sign(k, "tls-" + k, "{\"n\":" + k + "}");
            txs.add(tx);
            HttpResponse<String> r = probe.submit(k % REPLICAS, tx, 0);
            assertThat(r.statusCode()).as("submit over HTTPS to replica %d: %s", k % REPLICAS, r.body()).isEqualTo(202);
        }
        for (Transaction tx : txs) {
            for (int r = 0; r < REPLICAS; r++) {
                int replica = r;
                assertThat(ClusterProbe.eventually(Duration.ofSeconds(60), () -> probe.committed(replica, tx)))
                        .as("%s committed at replica %d; its log:%n%s", tx.txId().hex(), r, cluster.log(r)).isTrue();
            }
        }
        assertThat(ClusterProbe.eventually(Duration.ofSeconds(30), () -> heights().size() == 1)).as("heights %s", heights()).isTrue();
        long height = probe.height(0);
        List<String> chain0 = probe.hashes(0, height);
        for (int r = 1; r < REPLICAS; r++) {
            assertThat(probe.hashes(r, height)).as("replica %d holds replica 0's chain", r).isEqualTo(chain0);
        }
        assertThat(ClusterProbe.eventually(Duration.ofSeconds(30),
                () -> probe.peerProtocols(0).equals(java.util.Map.of(1, "HTTP/2", 2, "HTTP/2", 3, "HTTP/2"))))
                .as("replica 0 (ledger.peer.http2=true) reaches every peer over h2: %s", probe.peerProtocols(0)).isTrue();
        assertThat(ClusterProbe.eventually(Duration.ofSeconds(30),
                () -> probe.peerProtocols(3).equals(java.util.Map.of(0, "HTTP/1.1", 1, "HTTP/1.1", 2, "HTTP/1.1"))))
                .as("replica 3 (the default) uses HTTP/1.1: %s", probe.peerProtocols(3)).isTrue();
        // the cluster view asks every peer over mutual TLS: all of them must have answered
        JsonNode view = ClusterProbe.JSON.readTree(cluster.get(2, "/api/v1/cluster").body());
        for (JsonNode member : view.get("replicas")) {
            assertThat(member.get("reachable").asBoolean()).as("member in /api/v1/cluster: %s", member).isTrue();
        }
    }

    @Test
    void plainHttpToAReplicasPeerEndpointIsRefused() throws Exception {
        URI plain = URI.create("http://127.0.0.1:" + cluster.basePort + "/pbft/messages");
        int status;
        try {
            status = post(LocalCluster.httpClient(null), plain).statusCode();
        } catch (IOException e) {
            status = -1; // the TLS-only port closed the connection: refused as well
        }
        assertThat(status / 100).as("plain HTTP status %d (-1: connection failed)", status).isNotEqualTo(2);
    }

    @Test
    void aPeerRequestWithoutAClientCertificateIsRefusedWith403() throws Exception {
        HttpResponse<String> r = post(LocalCluster.httpClient(LocalCluster.sslContext(LocalCluster.caFile(dir), null, null)), URI.create(cluster.url(1) + "/pbft/messages"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(ClusterProbe.JSON.readTree(r.body()).get("detail").asString()).contains("client certificate");

        HttpResponse<String> blocks = cluster.get(1, "/pbft/blocks?from=0&limit=1");
        assertThat(blocks.statusCode()).as("chain pages need a certificate too").isEqualTo(403);
    }

    @Test
    void aReplicaCertificateReachesTheMessageDecoderWhileAClientCertificateMayOnlyReadChainPages() throws Exception {
        Path tls = dir.resolve("keys/tls");
        HttpClient asReplica = LocalCluster.httpClient(LocalCluster.sslContext(LocalCluster.caFile(dir),
                tls.resolve("replica-0.crt"), tls.resolve("replica-0.key")));
        HttpResponse<String> decoded = post(asReplica, URI.create(cluster.url(1) + "/pbft/messages"));
        assertThat(decoded.statusCode()).as("past the certificate check, the bytes are judged as messages: %s", decoded.body())
                .isEqualTo(400);

        HttpClient asClient = LocalCluster.httpClient(LocalCluster.sslContext(LocalCluster.caFile(dir),
                tls.resolve("client-0.crt"), tls.resolve("client-0.key")));
        HttpResponse<String> sent = post(asClient, URI.create(cluster.url(1) + "/pbft/messages"));
        assertThat(sent.statusCode()).isEqualTo(403);
        assertThat(ClusterProbe.JSON.readTree(sent.body()).get("detail").asString()).contains("only replicas");
        HttpResponse<byte[]> page = asClient.send(HttpRequest.newBuilder(URI.create(cluster.url(1) + "/pbft/blocks?from=0&limit=1"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(page.statusCode()).isEqualTo(200);
    }

    @Test
    void aReplicaCertificateOfAnotherCaWithTheSameNamesIsRefused() throws Exception {
        Path rogue = dir.resolve("rogue");
        List<String> urls = IntStream.range(0, REPLICAS).mapToObj(cluster::url).toList();
        TlsFiles.write(rogue, new TlsFiles.Plan(chainId(), urls, List.of("client-0"), Duration.ofDays(1)), Instant.now(),
                new SecureRandom());
        HttpClient impostor = LocalCluster.httpClient(LocalCluster.sslContext(LocalCluster.caFile(dir),
                TlsFiles.replicaCertificate(rogue, 0), TlsFiles.replicaKey(rogue, 0)));
        int status;
        try {
            status = post(impostor, URI.create(cluster.url(1) + "/pbft/messages")).statusCode();
        } catch (IOException e) {
            status = -1; // the replica's trust store rejected the certificate in the handshake
        }
        assertThat(status).as("status (-1: handshake refused)").isIn(-1, 403);
    }

    @Test
    void theCliSubmitsOverHttpsWithTheCaBesideTheMembershipAndVerifiesWithAClientCertificate() throws Exception {
        String membership = dir.resolve("keys/membership.yml").toString();
        int submit = PbftLedgerCli.newCommandLine().execute("client", "submit", "--membership", membership,
                "--identity", dir.resolve("keys/clients/client-1.key").toString(), "--key", "cli-tls",
                "--payload", "{\"over\":\"https\"}", "--wait", "--node", cluster.url(3));
        assertThat(submit).as("client submit --wait over HTTPS (CA from tls/ca.crt)").isZero();

        Path tls = dir.resolve("keys/tls");
        int audit = PbftLedgerCli.newCommandLine().execute("verify", "--membership", membership, "--node", cluster.url(2),
                "--client-cert", tls.resolve("client-1.crt").toString(), "--client-key", tls.resolve("client-1.key").toString());
        assertThat(audit).as("verify over mutual TLS").isZero();

        int anonymous = PbftLedgerCli.newCommandLine().execute("verify", "--membership", membership, "--node", cluster.url(2));
        assertThat(anonymous).as("verify without a client certificate is refused by the peer endpoint").isNotZero();
    }

    private static String chainId() {
        return MembershipFile.load(dir.resolve("keys/membership.yml")).chainId();
    }

    private static Set<Long> heights() throws Exception {
        Set<Long> heights = new HashSet<>();
        for (int r = 0; r < REPLICAS; r++) {
            heights.add(probe.height(r));
        }
        return heights;
    }

    private static HttpResponse<String> post(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/octet-stream").header("X-Pbft-Kind", "votes")
                .POST(HttpRequest.BodyPublishers.ofByteArray(NOT_A_MESSAGE)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
