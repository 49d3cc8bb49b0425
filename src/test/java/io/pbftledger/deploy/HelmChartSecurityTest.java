package io.pbftledger.deploy;

import static io.pbftledger.deploy.ChartFixture.FULLNAME;
import static io.pbftledger.deploy.Yamls.asMap;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.listAt;
import static io.pbftledger.deploy.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.pbftledger.testing.DeploymentTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the chart must hold against a compromised pod or a hostile neighbour in the cluster: each
 * pod holds only its own replica's key and certificate, TLS is the mutual TLS of keygen --tls, and
 * a NetworkPolicy admits only the replicas and the configured API sources to the API port, and only
 * the configured monitoring sources to the management port (metrics).
 */
@DeploymentTest
class HelmChartSecurityTest {
    private static final int PORT = 8080;
    private static final int MANAGEMENT_PORT = 9090;

    @TempDir
    java.nio.file.Path work;

    @Test
    void everyReplicaRunsInItsOwnStatefulSetAndItsPodMountsOnlyItsOwnKey() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        Manifests m = chart.render(ChartFixture.baseValues(keys));

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        assertThat(sets).hasSize(4);
        for (int i = 0; i < 4; i++) {
            Map<String, Object> sts = sets.get(i);
            assertThat(Pods.replicaId(sts)).isEqualTo(i);
            assertThat(at(sts, "spec", "replicas")).as("pods of replica %d's StatefulSet", i).isEqualTo(1);
            List<String> mounted = Pods.mountedSecrets(Pods.podSpec(sts));
            assertThat(mounted).as("Secrets mounted by replica %d's pod", i).containsExactly(FULLNAME + "-replica-" + i);
            Map<String, String> data = Pods.decodedData(m.named("Secret", mounted.get(0)).orElseThrow());
            assertThat(data).containsOnlyKeys("replica-" + i + ".key");
            assertThat(data.get("replica-" + i + ".key")).isEqualTo(keys.read(keys.replicaKey(i)));
            assertThat(at(Pods.envByName(Pods.container(sts)), "LEDGER_KEY_FILE", "value"))
                    .isEqualTo("/etc/pbft-ledger/keys/replica-" + i + ".key");
        }
        assertNoSecretHoldsTwoReplicasKeys(m, keys);
    }

    @Test
    void withExistingSecretsPodIMountsOnlyTheSecretsNamedForReplicaI() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.tlsKeys(4);
        Map<String, Object> values = ChartFixture.deepMerge(ChartFixture.baseValues(keys), Map.of(
                "replicaKeys", Map.of("existingSecretPrefix", "ops-replica-", "files", List.of()),
                "tls", Map.of("enabled", true, "ca", keys.read(keys.tlsCa()), "existingSecretPrefix", "ops-tls-")));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        assertThat(sets).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(Pods.mountedSecrets(Pods.podSpec(sets.get(i)))).as("Secrets mounted by replica %d's pod", i)
                    .containsExactlyInAnyOrder("ops-replica-" + i, "ops-tls-" + i);
        }
        assertThat(m.ofKind("Secret")).as("the chart makes no key Secret of its own").isEmpty();
    }

    @Test
    void tlsIsTheMutualTlsOfKeygenWithEachPodServingItsOwnCertificate() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.tlsKeys(4);
        Map<String, Object> values = ChartFixture.tlsValues(keys);

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        Map<String, Object> configMap = m.one("ConfigMap");
        Map<String, Object> rendered = Yamls.load((String) at(configMap, "data", "replica.yml"));
        // every TLS setting keygen --tls writes into a replica yml is in the chart's replica config
        Map<String, Object> keygenYml = Yamls.load(keys.read(keys.replicaConfig(0)));
        List<String> tlsProperties = keygenYml.keySet().stream()
                .filter(k -> k.startsWith("server.ssl.") || k.startsWith("spring.ssl.") || k.startsWith("ledger.tls.")).toList();
        assertThat(tlsProperties).contains("server.ssl.client-auth", "ledger.tls.enabled",
                "spring.ssl.bundle.pem.ledger.truststore.certificate");
        for (String property : tlsProperties) {
            Object value = at(rendered, property.split("\\."));
            if (!TlsPaths.isFile(property)) {
                assertThat(value).as(property).isEqualTo(keygenYml.get(property));
            }
        }
        assertThat(at(rendered, "server", "ssl", "client-auth")).isEqualTo("want");
        assertThat(at(rendered, "ledger", "tls", "enabled")).isEqualTo(true);
        assertThat(at(configMap, "data", "ca.crt")).isEqualTo(keys.read(keys.tlsCa()));

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        for (int i = 0; i < 4; i++) {
            Map<String, Object> sts = sets.get(i);
            Map<String, Object> container = Pods.container(sts);
            // each file the bundle names is mounted in the pod, from this replica's own Secret
            for (String property : tlsProperties.stream().filter(TlsPaths::isFile).toList()) {
                String location = (String) at(rendered, property.split("\\."));
                // a plain absolute path: node resolves these settings against the yml's directory
                assertThat(location).startsWith("/etc/pbft-ledger/");
                String file = location;
                String dir = file.substring(0, file.lastIndexOf('/'));
                String entry = file.substring(file.lastIndexOf('/') + 1);
                String volumeName = Pods.volumeMountedAt(container, dir);
                Map<String, Object> volume = Pods.volume(Pods.podSpec(sts), volumeName);
                String content = volume.containsKey("configMap")
                        ? (String) at(configMap, "data", entry)
                        : Pods.decodedData(m.named("Secret", (String) at(volume, "secret", "secretName")).orElseThrow()).get(entry);
                assertThat(content).as("%s in replica %d's pod", file, i).isEqualTo(expectedTlsFile(keys, property, i));
            }
            // its key and its certificate, both from the chart's Secret for replica i
            assertThat(Pods.mountedSecrets(Pods.podSpec(sts))).as("Secrets mounted by replica %d's pod", i)
                    .containsOnly(FULLNAME + "-replica-" + i);
        }
        assertNoSecretHoldsTwoReplicasKeys(m, keys);
        for (Map<String, Object> cm : m.ofKind("ConfigMap")) {
            assertThat(String.valueOf(cm.get("data"))).doesNotContain("PRIVATE KEY");
        }
        Map<String, Object> membership = Yamls.load((String) at(configMap, "data", "membership.yml"));
        List<String> urls = listAt(membership, "replicas").stream().map(r -> (String) asMap(r).get("url")).toList();
        assertThat(urls).isEqualTo(ChartFixture.peerUrls("https", 4));

        // the helm test trusts the cluster CA and reaches replicas by the names their certificates carry
        Map<String, Object> testPod = chart.renderTestHooks(values).named("Pod", FULLNAME + "-test-commit").orElseThrow();
        String command = String.join(" ", listAt(asMap(listAt(testPod, "spec", "containers").get(0)), "command").stream()
                .map(String::valueOf).toList());
        assertThat(command).contains("--ca /etc/pbft-ledger/config/ca.crt");
        assertThat(Pods.mountedSecrets(mapAt(testPod, "spec"))).allSatisfy(name -> assertThat(name).doesNotContain("-replica-"));
    }

    @Test
    void theNetworkPolicyAdmitsTheReplicasTheHelmTestAndTheConfiguredApiSourcesOnly() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> ingressNamespace = Map.of("namespaceSelector",
                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ingress-nginx")));
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "networkPolicy",
                Map.of("apiFrom", List.of(ingressNamespace)));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);
        Map<String, Object> policy = m.one("NetworkPolicy");
        Map<String, Object> testPodLabels = mapAt(chart.renderTestHooks(values).named("Pod", FULLNAME + "-test-commit").orElseThrow(),
                "metadata", "labels");

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        Map<String, Object> selected = mapAt(policy, "spec", "podSelector", "matchLabels");
        for (Map<String, Object> sts : sets) {
            assertThat(Pods.podLabels(sts)).as("the policy selects every replica pod").containsAllEntriesOf(selected);
        }
        assertThat(listAt(policy, "spec", "policyTypes")).containsExactly("Ingress");

        List<Map<String, Object>> sources = sources(policy);
        // the replicas: a pod selector that matches every replica pod and not the test pod
        assertThat(sources).anySatisfy(source -> {
            assertThat(source).containsOnlyKeys("podSelector");
            Map<String, Object> labels = mapAt(source, "podSelector", "matchLabels");
            sets.forEach(sts -> assertThat(Pods.podLabels(sts)).containsAllEntriesOf(labels));
            assertThat(testPodLabels.entrySet().containsAll(labels.entrySet())).as("the test pod passes for a replica").isFalse();
        });
        // the helm test pod
        assertThat(sources).anySatisfy(source -> {
            assertThat(source).containsOnlyKeys("podSelector");
            assertThat(testPodLabels).containsAllEntriesOf(mapAt(source, "podSelector", "matchLabels"));
        });
        assertThat(sources).contains(ingressNamespace);
        assertThat(sources).as("replicas, helm test, the one configured source").hasSize(3);
        for (Map<String, Object> source : sources) {
            assertNotOpenToAll(source);
        }
    }

    @Test
    void byDefaultTheNetworkPolicyAdmitsOnlyTheReplicasAndTheHelmTest() {
        ChartFixture chart = new ChartFixture(work);
        Manifests m = chart.render(ChartFixture.baseValues(chart.keys(4)));

        List<Map<String, Object>> sources = sources(m.one("NetworkPolicy"));
        assertThat(sources).hasSize(2).allSatisfy(source -> assertThat(source).containsOnlyKeys("podSelector"));
        sources.forEach(HelmChartSecurityTest::assertNotOpenToAll);
    }

    @Test
    void theNetworkPolicyCanBeLeftToTheOperator() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "networkPolicy", Map.of("enabled", false));

        assertThat(chart.render(values).ofKind("NetworkPolicy")).isEmpty();
    }

    /** Every "from" entry of the policy's ingress rules for the API port. */
    private static List<Map<String, Object>> sources(Map<String, Object> policy) {
        return sources(policy, PORT);
    }

    /**
     * Every "from" entry of the policy's ingress rules for {@code port}, after checking that each rule
     * opens one port, the API's or the management port, to named sources only.
     */
    private static List<Map<String, Object>> sources(Map<String, Object> policy, int port) {
        List<Map<String, Object>> sources = new ArrayList<>();
        for (Object entry : listAt(policy, "spec", "ingress")) {
            Map<String, Object> rule = asMap(entry);
            assertThat(rule).as("an ingress rule without 'from' admits everyone").containsKey("from");
            assertThat(listAt(rule, "from")).isNotEmpty();
            assertThat(rule).as("an ingress rule without 'ports' opens every port").containsKey("ports");
            Map<String, Object> opened = asMap(listAt(rule, "ports").stream().reduce((a, b) -> {
                throw new AssertionError("a rule opens more than one port: " + rule);
            }).orElseThrow());
            assertThat(opened.get("port")).isIn(PORT, MANAGEMENT_PORT);
            assertThat(opened.get("protocol")).isEqualTo("TCP");
            if (opened.get("port").equals(port)) {
                listAt(rule, "from").forEach(source -> sources.add(asMap(source)));
            }
        }
        return sources;
    }

    @Test
    void theManagementPortIsOpenOnlyToTheConfiguredMonitoringSources() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> prometheus = Map.of("namespaceSelector",
                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")),
                "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus")));
        Map<String, Object> apiClient = Map.of("podSelector", Map.of("matchLabels", Map.of("app", "ledger-client")));
        GeneratedKeys keys = chart.keys(4);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "networkPolicy",
                Map.of("apiFrom", List.of(apiClient), "managementFrom", List.of(prometheus)));

        assertLintPasses(chart.lint(values));
        Map<String, Object> policy = chart.render(values).one("NetworkPolicy");

        assertThat(sources(policy, MANAGEMENT_PORT)).containsExactly(prometheus);
        assertThat(sources(policy, PORT)).as("the monitoring source gets no API").doesNotContain(prometheus).contains(apiClient);

        Map<String, Object> byDefault = chart.render(ChartFixture.baseValues(keys)).one("NetworkPolicy");
        assertThat(sources(byDefault, MANAGEMENT_PORT)).as("no pod, not even a replica, reaches the metrics by default").isEmpty();
    }

    private static void assertNotOpenToAll(Map<String, Object> source) {
        if (source.containsKey("podSelector")) {
            assertThat(asMap(source.get("podSelector"))).as("an empty pod selector admits every pod").isNotEmpty();
        }
        if (source.containsKey("ipBlock")) {
            assertThat(at(source, "ipBlock", "cidr")).isNotIn("0.0.0.0/0", "::/0");
        }
    }

    private static String expectedTlsFile(GeneratedKeys keys, String property, int replica) {
        return switch (property.substring(property.lastIndexOf('.') + 1)) {
            case "certificate" -> property.contains(".truststore.") ? keys.read(keys.tlsCa()) : keys.read(keys.tlsCertificate(replica));
            case "private-key" -> keys.read(keys.tlsKey(replica));
            default -> throw new AssertionError("unexpected TLS file property " + property);
        };
    }

    /** No Secret the chart renders holds the private keys (signing or TLS) of two different replicas. */
    private static void assertNoSecretHoldsTwoReplicasKeys(Manifests m, GeneratedKeys keys) {
        for (Map<String, Object> secret : m.ofKind("Secret")) {
            String all = String.join("\n", Pods.decodedData(secret).values());
            List<Integer> owners = new ArrayList<>();
            for (int i = 0; i < keys.replicas(); i++) {
                String signing = (String) Yamls.load(keys.read(keys.replicaKey(i))).get("privateKey");
                boolean tls = java.nio.file.Files.exists(keys.tlsKey(i)) && all.contains(keys.read(keys.tlsKey(i)).trim());
                if (all.contains(signing) || tls) {
                    owners.add(i);
                }
            }
            assertThat(owners).as("replicas whose private keys are in Secret %s", at(secret, "metadata", "name")).hasSizeLessThan(2);
        }
    }

    private static void assertLintPasses(LintResult lint) {
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    /** Which of keygen's TLS properties name a file. */
    private static final class TlsPaths {
        static boolean isFile(String property) {
            return property.startsWith("spring.ssl.bundle.pem.");
        }
    }
}
