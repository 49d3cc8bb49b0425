package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.PbftLedgerApplication;
import io.pbftledger.cli.PbftLedgerCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A whole replica on real Tomcat with reads closed (so with keygen --tls's TLS) and the actuator on a
 * management port of its own (both ports random): the API port serves no actuator endpoint (metrics,
 * Prometheus, info, health details) to anyone, the management port serves them (over the same TLS),
 * and the API port keeps the probes Kubernetes and Docker use ({@code /livez}, {@code /readyz}),
 * which tell the state and nothing else.
 */
@SpringBootTest(classes = PbftLedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "management.server.address=127.0.0.1", "server.address=127.0.0.1",
                "ledger.api.reads=authenticated", "server.shutdown=immediate"})
class ManagementPortHttpTest {
    private static final Path KEYS = keygen();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .sslContext(SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(
                    KEYS.resolve("keys/tls/ca.crt").toString()))).createSslContext()).build();

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    /** Keys of a four-replica cluster whose other replicas listen nowhere; this is replica 0. */
    private static Path keygen() {
        try {
            Path dir = Files.createTempDirectory("management-port-test");
            int base;
            try (ServerSocket probe = new ServerSocket(0)) {
                base = Math.min(probe.getLocalPort(), 65_000);
            }
            int exit = PbftLedgerCli.newCommandLine().execute("keygen", "--tls", "--out", dir.resolve("keys").toString(),
                    "--base-port", Integer.toString(base));
            if (exit != 0) {
                throw new IllegalStateException("keygen exited " + exit);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void replicaZero(DynamicPropertyRegistry registry) {
        registry.add("ledger.replica-id", () -> "0");
        registry.add("ledger.membership-file", () -> KEYS.resolve("keys/membership.yml").toString());
        registry.add("ledger.key-file", () -> KEYS.resolve("keys/replicas/replica-0.key").toString());
        registry.add("ledger.data-dir", () -> KEYS.resolve("data").toString());
        // keygen --tls's settings of replica-0.yml, with absolute paths
        registry.add("server.ssl.bundle", () -> "ledger");
        registry.add("server.ssl.client-auth", () -> "want");
        registry.add("spring.ssl.bundle.pem.ledger.keystore.certificate", () -> KEYS.resolve("keys/tls/replica-0.crt").toString());
        registry.add("spring.ssl.bundle.pem.ledger.keystore.private-key", () -> KEYS.resolve("keys/tls/replica-0.key").toString());
        registry.add("spring.ssl.bundle.pem.ledger.truststore.certificate", () -> KEYS.resolve("keys/tls/ca.crt").toString());
        registry.add("ledger.tls.enabled", () -> "true");
        registry.add("ledger.tls.bundle", () -> "ledger");
    }

    @AfterAll
    static void deleteKeys() throws IOException {
        try (Stream<Path> files = Files.walk(KEYS)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {"/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used",
            "/actuator/info", "/actuator", "/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness"})
    void theApiPortServesNoActuatorEndpoint(String path) throws Exception {
        HttpResponse<String> r = get(port, path);

        assertThat(r.statusCode()).as("GET %s on the API port: %s", path, r.body()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("pbft_", "jvm_", "\"components\"");
    }

    @Test
    void theManagementPortServesTheMetricsAndTheHealthDetails() throws Exception {
        HttpResponse<String> prometheus = get(managementPort, "/actuator/prometheus");
        HttpResponse<String> readiness = get(managementPort, "/actuator/health/readiness");

        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("pbft_blocks_committed_total{", "replica=\"0\"");
        assertThat(List.of(200, 503)).contains(readiness.statusCode());
        assertThat(JSON.readTree(readiness.body()).at("/components/consensus/details/quorum").asInt()).isEqualTo(3);
    }

    @Test
    void theApiPortKeepsTheProbesAndTheyTellTheStateOnly() throws Exception {
        HttpResponse<String> live = get(port, "/livez");
        HttpResponse<String> ready = get(port, "/readyz");

        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("status").asString()).isEqualTo("UP");
        // Alone, replica 0 has no quorum of peers: not ready, and the probe says no more than that.
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.get("status").asString()).isEqualTo("DOWN");
        assertThat(body.propertyNames()).containsExactly("status");
    }
}
