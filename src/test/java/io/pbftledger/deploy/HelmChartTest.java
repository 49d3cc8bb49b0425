package io.pbftledger.deploy;

import static io.pbftledger.deploy.ChartFixture.FULLNAME;
import static io.pbftledger.deploy.ChartFixture.HEADLESS;
import static io.pbftledger.deploy.Yamls.asMap;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.listAt;
import static io.pbftledger.deploy.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders the chart for the value sets (default, 7 replicas, external PostgreSQL, TLS) and checks the objects. */
class HelmChartTest {
    @TempDir
    java.nio.file.Path work;

    @Test
    void defaultValuesFormAFourReplicaClusterFromTheStatefulSetDnsNames() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        Map<String, Object> values = ChartFixture.baseValues(keys);

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        Map<String, Object> sts = m.one("StatefulSet");
        assertThat(at(sts, "spec", "replicas")).isEqualTo(4);
        assertThat(at(sts, "spec", "podManagementPolicy")).isEqualTo("Parallel");
        assertThat(at(sts, "spec", "serviceName")).isEqualTo(HEADLESS);
        Map<String, Object> headless = m.named("Service", HEADLESS).orElseThrow();
        assertThat(at(headless, "spec", "clusterIP")).isEqualTo("None");
        assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
        assertThat(m.named("Service", FULLNAME)).isPresent();

        assertMembershipMatchesKeygen(m, keys, ChartFixture.peerUrls("http", 4));
        assertThat(at(m.one("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
        assertProbes(container(sts), "HTTP");
        assertThat(listAt(sts, "spec", "volumeClaimTemplates")).hasSize(1);
        assertThat(mapAt(sts, "spec", "template", "metadata", "annotations")).containsKeys("checksum/config", "checksum/replica-keys");
        assertSecretsStayOutOfConfigMaps(m, secretsOf(keys));
    }

    @Test
    void inlineReplicaKeysBecomeOneSecretEntryPerReplicaHoldingKeygensFile() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        Manifests m = chart.render(ChartFixture.baseValues(keys));

        Map<String, Object> secret = m.named("Secret", FULLNAME + "-replica-keys").orElseThrow();
        Map<String, Object> data = mapAt(secret, "data");
        assertThat(data).hasSize(4);
        for (int i = 0; i < 4; i++) {
            String decoded = new String(Base64.getDecoder().decode((String) data.get("replica-" + i + ".key")), StandardCharsets.UTF_8);
            assertThat(decoded).isEqualTo(keys.read(keys.replicaKey(i)));
        }
        Map<String, Object> env = envByName(container(m.one("StatefulSet")));
        assertThat(at(env, "LEDGER_REPLICA_ID", "valueFrom", "fieldRef", "fieldPath"))
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        assertThat(at(env, "LEDGER_KEY_FILE", "value")).isEqualTo("/etc/pbft-ledger/keys/replica-$(LEDGER_REPLICA_ID).key");
    }

    @Test
    void sevenReplicasToleratingTwoFaultsWithKeysFromAnExistingSecret() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(7);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "replicaKeys",
                Map.of("existingSecret", "ops-replica-keys", "files", List.of()));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        assertThat(at(m.one("StatefulSet"), "spec", "replicas")).isEqualTo(7);
        assertMembershipMatchesKeygen(m, keys, ChartFixture.peerUrls("http", 7));
        assertThat(at(m.one("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(2);
        assertThat(m.named("Secret", FULLNAME + "-replica-keys")).isEmpty();
        List<Object> volumes = listAt(m.one("StatefulSet"), "spec", "template", "spec", "volumes");
        assertThat(volumes).anySatisfy(v -> assertThat(at(asMap(v), "secret", "secretName")).isEqualTo("ops-replica-keys"));
    }

    @Test
    void externalPostgresqlGivesEveryReplicaItsOwnDatabaseAndCredentialsFromASecret() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "postgresql", Map.of(
                "enabled", true,
                "urlTemplate", "jdbc:postgresql://pg.db.svc:5432/ledger_{i}",
                "auth", Map.of("username", "ledger", "password", "s3cret-db-password")));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        Map<String, Object> sts = m.one("StatefulSet");
        Map<String, Object> env = envByName(container(sts));
        assertThat(at(env, "SPRING_PROFILES_ACTIVE", "value")).isEqualTo("postgres");
        // Kubernetes expands $(LEDGER_REPLICA_ID) per pod, so pod i connects to ledger_i
        assertThat(at(env, "LEDGER_DB_URL", "value")).isEqualTo("jdbc:postgresql://pg.db.svc:5432/ledger_$(LEDGER_REPLICA_ID)");
        assertThat(at(env, "LEDGER_DB_PASSWORD", "valueFrom", "secretKeyRef", "name")).isEqualTo(FULLNAME + "-postgresql");
        assertThat(asMap(at(env, "LEDGER_DB_PASSWORD"))).doesNotContainKey("value");
        assertThat(asMap(at(sts, "spec"))).doesNotContainKey("volumeClaimTemplates");
        List<String> secrets = new ArrayList<>(secretsOf(keys));
        secrets.add("s3cret-db-password");
        assertSecretsStayOutOfConfigMaps(m, secrets);
        assertThat(m.named("Secret", FULLNAME + "-postgresql")).isPresent();
    }

    @Test
    void tlsServesHttpsUsesHttpsPeerUrlsAndTrustsTheClusterCa() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "tls",
                Map.of("enabled", true, "existingSecret", "ledger-tls"));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        assertMembershipMatchesKeygen(m, keys, ChartFixture.peerUrls("https", 4));
        Map<String, Object> sts = m.one("StatefulSet");
        assertProbes(container(sts), "HTTPS");
        Map<String, Object> replicaConfig = Yamls.load((String) at(m.one("ConfigMap"), "data", "replica.yml"));
        assertThat(at(replicaConfig, "server", "ssl", "bundle")).isEqualTo("ledger");
        assertThat(at(replicaConfig, "spring", "ssl", "bundle", "pem", "ledger", "keystore", "private-key"))
                .isEqualTo("file:/etc/pbft-ledger/tls/tls.key");
        List<Object> init = listAt(sts, "spec", "template", "spec", "initContainers");
        assertThat(init).singleElement().satisfies(c -> assertThat(at(asMap(c), "name")).isEqualTo("truststore"));
        assertThat((String) at(envByName(container(sts)), "JAVA_TOOL_OPTIONS", "value"))
                .contains("-Djavax.net.ssl.trustStore=/var/run/pbft-ledger/trust/truststore.p12");
        assertSecretsStayOutOfConfigMaps(m, secretsOf(keys));
    }

    @Test
    void podsRunRestrictedAndTheHelmTestSubmitsThroughTheClientService() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.baseValues(chart.keys(4));
        Manifests m = chart.render(values);

        Map<String, Object> pod = mapAt(m.one("StatefulSet"), "spec", "template", "spec");
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
        Map<String, Object> security = mapAt(container(m.one("StatefulSet")), "securityContext");
        assertThat(security).containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true);
        assertThat(listAt(security, "capabilities", "drop")).containsExactly("ALL");

        Map<String, Object> testPod = chart.renderTestHooks(values)
                .named("Pod", FULLNAME + "-test-commit").orElseThrow();
        assertThat(mapAt(testPod, "metadata", "annotations")).containsEntry(ChartFixture.HOOK_KEY_IN_COPY, "test");
        Map<String, Object> submit = asMap(listAt(testPod, "spec", "containers").get(0));
        assertThat(String.join(" ", listAt(submit, "command").stream().map(String::valueOf).toList()))
                .contains("client submit", "--wait");
        assertThat(at(envByName(submit), "LEDGER_URL", "value"))
                .isEqualTo("http://" + FULLNAME + "." + ChartFixture.NAMESPACE + ".svc.cluster.local:8080");
    }

    // ---- assertions shared by the value sets ----

    private static void assertLintPasses(LintResult lint) {
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    private static void assertMembershipMatchesKeygen(Manifests m, GeneratedKeys keys, List<String> expectedUrls) {
        Map<String, Object> rendered = Yamls.load((String) at(m.one("ConfigMap"), "data", "membership.yml"));
        Map<String, Object> generated = Yamls.load(keys.read(keys.membership()));
        assertThat(rendered.get("chainId")).isEqualTo(generated.get("chainId"));
        List<Object> replicas = listAt(rendered, "replicas");
        List<Object> generatedReplicas = listAt(generated, "replicas");
        assertThat(replicas).hasSize(expectedUrls.size());
        for (int i = 0; i < replicas.size(); i++) {
            Map<String, Object> replica = asMap(replicas.get(i));
            assertThat(replica.get("id")).isEqualTo(i);
            assertThat(replica.get("url")).as("peer URL of pod %d", i).isEqualTo(expectedUrls.get(i));
            assertThat(replica.get("publicKey")).isEqualTo(asMap(generatedReplicas.get(i)).get("publicKey"));
        }
        assertThat(listAt(rendered, "clients")).isEqualTo(listAt(generated, "clients"));
    }

    private static void assertProbes(Map<String, Object> container, String scheme) {
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "livenessProbe", "httpGet", "scheme")).isEqualTo(scheme);
        assertThat(at(container, "readinessProbe", "httpGet", "scheme")).isEqualTo(scheme);
    }

    /** No private key or password may appear in a ConfigMap, whose contents are readable far more widely than Secrets. */
    private static void assertSecretsStayOutOfConfigMaps(Manifests m, List<String> secrets) {
        assertThat(secrets).isNotEmpty();
        for (Map<String, Object> configMap : m.ofKind("ConfigMap")) {
            String text = String.valueOf(configMap.get("data"));
            assertThat(text).doesNotContain("privateKey");
            for (String secret : secrets) {
                assertThat(text).as("ConfigMap %s", at(configMap, "metadata", "name")).doesNotContain(secret);
            }
        }
    }

    private static List<String> secretsOf(GeneratedKeys keys) {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < keys.replicas(); i++) {
            secrets.add((String) Yamls.load(keys.read(keys.replicaKey(i))).get("privateKey"));
        }
        for (int j = 0; j < keys.clients(); j++) {
            secrets.add((String) Yamls.load(keys.read(keys.clientKey(j))).get("privateKey"));
        }
        return secrets;
    }

    private static Map<String, Object> container(Map<String, Object> statefulSet) {
        List<Object> containers = listAt(statefulSet, "spec", "template", "spec", "containers");
        assertThat(containers).hasSize(1);
        return asMap(containers.get(0));
    }

    private static Map<String, Object> envByName(Map<String, Object> container) {
        Map<String, Object> byName = new java.util.LinkedHashMap<>();
        for (Object entry : listAt(container, "env")) {
            Map<String, Object> env = asMap(entry);
            byName.put((String) env.get("name"), env);
        }
        return byName;
    }
}
