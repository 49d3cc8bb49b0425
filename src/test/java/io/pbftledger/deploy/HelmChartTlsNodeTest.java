package io.pbftledger.deploy;

import static io.pbftledger.deploy.Yamls.asMap;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.listAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.testing.DeploymentTest;
import io.pbftledger.testing.ProcessTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * The TLS pod of the rendered chart, run for real: replica 0 is started as its own process on the
 * files its pod would see (the ConfigMap and its Secret, laid out as the pod's volume mounts, under
 * a temporary directory instead of /etc/pbft-ledger) and checked over HTTPS on loopback: the probe's
 * path on the API port, the peer endpoint, and the metrics on the management port only. Takes about
 * 10-20 s (one replica's start).
 */
@DeploymentTest
@ProcessTest
class HelmChartTlsNodeTest {
    private static final String POD_ROOT = "/etc/pbft-ledger";

    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void replicaZerosPodServesItsOwnCertificateAndItsPeerEndpointsNeedAReplicaCertificate() throws Exception {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.tlsKeys(4);
        Manifests m = chart.render(ChartFixture.tlsValues(keys));
        Map<String, Object> sts = Pods.replicaSets(m).get(0);
        Path root = work.resolve("pod");
        layOutMounts(m, sts, root);
        int port = freePort();
        int managementPort = freePort();

        Process replica = launch(root, Pods.envByName(Pods.container(sts)), port, managementPort);
        try {
            SSLContext trustOnly = sslContext(keys, null);
            HttpClient anonymous = HttpClient.newBuilder().sslContext(trustOnly).connectTimeout(Duration.ofSeconds(2)).build();
            URI base = URI.create("https://localhost:" + port);
            // the path the pod's liveness probe asks, on the API port
            String livenessPath = (String) at(Pods.container(sts), "livenessProbe", "httpGet", "path");
            HttpResponse<String> live = awaitLive(anonymous, base.resolve(livenessPath), replica, root);

            // served with replica 0's own certificate, which names localhost and chains to the cluster CA
            X509Certificate served = (X509Certificate) live.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(served.getSubjectX500Principal().getName()).contains("CN=replica-0").contains("OU=replica");

            HttpRequest message = HttpRequest.newBuilder(base.resolve("/pbft/messages")).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofString("x")).build();
            HttpResponse<String> stranger = anonymous.send(message, HttpResponse.BodyHandlers.ofString());
            assertThat(stranger.statusCode()).isEqualTo(403);
            assertThat(stranger.body()).contains("peer endpoints need a client certificate of this cluster's CA");

            HttpClient peer = HttpClient.newBuilder().sslContext(sslContext(keys, 1)).connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> fromReplicaOne = peer.send(message, HttpResponse.BodyHandlers.ofString());
            assertThat(fromReplicaOne.statusCode()).as("replica 1's certificate passes the peer check: %s", fromReplicaOne.body())
                    .isNotEqualTo(403);

            // the metrics: on the management port (the replica's TLS), not on the API port
            URI management = URI.create("https://localhost:" + managementPort);
            HttpRequest metrics = HttpRequest.newBuilder(management.resolve("/actuator/prometheus")).timeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> scraped = anonymous.send(metrics, HttpResponse.BodyHandlers.ofString());
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.body()).contains("pbft_blocks_committed_total");
            HttpResponse<String> onTheApiPort = anonymous.send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(onTheApiPort.statusCode()).isEqualTo(404);
        } finally {
            replica.destroyForcibly();
            replica.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Writes every ConfigMap and Secret volume the container mounts under {@code root}, as the kubelet would. */
    private static void layOutMounts(Manifests m, Map<String, Object> sts, Path root) throws IOException {
        Map<String, Object> pod = Pods.podSpec(sts);
        for (Object entry : listAt(Pods.container(sts), "volumeMounts")) {
            Map<String, Object> mount = asMap(entry);
            // a volume the pod spec does not list comes from a claim template: an empty directory
            Map<String, Object> volume = listAt(pod, "volumes").stream().map(Yamls::asMap)
                    .filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElse(Map.of());
            Map<String, String> data;
            if (volume.containsKey("configMap")) {
                data = new java.util.LinkedHashMap<>();
                Yamls.asMap(at(m.named("ConfigMap", (String) at(volume, "configMap", "name")).orElseThrow(), "data"))
                        .forEach((k, v) -> data.put(k, String.valueOf(v)));
            } else if (volume.containsKey("secret")) {
                data = Pods.decodedData(m.named("Secret", (String) at(volume, "secret", "secretName")).orElseThrow());
            } else {
                Files.createDirectories(local(root, (String) mount.get("mountPath")));
                continue;
            }
            Path dir = Files.createDirectories(local(root, (String) mount.get("mountPath")));
            List<Object> items = volume.containsKey("secret") && asMap(volume.get("secret")).containsKey("items")
                    ? listAt(volume, "secret", "items") : null;
            for (Map.Entry<String, String> file : data.entrySet()) {
                String path = file.getKey();
                if (items != null) {
                    path = items.stream().map(Yamls::asMap).filter(i -> file.getKey().equals(i.get("key")))
                            .map(i -> (String) i.get("path")).findFirst().orElse(null);
                }
                if (path != null) {
                    // the pod's absolute paths, moved under root
                    Files.writeString(dir.resolve(path), file.getValue().replace(POD_ROOT, local(root, POD_ROOT).toString())
                            .replace("/var/lib/pbft-ledger/data", local(root, "/var/lib/pbft-ledger/data").toString()));
                }
            }
        }
    }

    private static Path local(Path root, String podPath) {
        return root.resolve(podPath.substring(1));
    }

    /** The pod's replica, listening on loopback and on {@code port} and {@code managementPort} instead of the pod's. */
    private static Process launch(Path root, Map<String, Object> env, int port, int managementPort) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), PbftLedgerCli.class.getName(),
                "node", "--config", local(root, POD_ROOT + "/config/replica.yml").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve("replica.log").toFile());
        builder.environment().put("LEDGER_REPLICA_ID", (String) at(asMap(env.get("LEDGER_REPLICA_ID")), "value"));
        builder.environment().put("LEDGER_KEY_FILE", local(root, (String) at(asMap(env.get("LEDGER_KEY_FILE")), "value")).toString());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
        builder.environment().put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
        builder.environment().put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        return builder.start();
    }

    private static HttpResponse<String> awaitLive(HttpClient client, URI uri, Process replica, Path root) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            if (!replica.isAlive()) {
                throw new AssertionError("the replica exited " + replica.exitValue() + ":\n" + Files.readString(root.resolve("replica.log")));
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replica 0 did not answer within 90 s:\n" + Files.readString(root.resolve("replica.log")));
    }

    /** Trusts the cluster CA; with {@code replica}, presents that replica's certificate. */
    private static SSLContext sslContext(GeneratedKeys keys, Integer replica) {
        PemSslStoreDetails trust = PemSslStoreDetails.forCertificate(keys.tlsCa().toAbsolutePath().toString());
        PemSslStoreDetails key = replica == null ? null
                : PemSslStoreDetails.forCertificate(keys.tlsCertificate(replica).toAbsolutePath().toString())
                        .withPrivateKey(keys.tlsKey(replica).toAbsolutePath().toString());
        return SslBundle.of(new PemSslStoreBundle(key, trust)).createSslContext();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
