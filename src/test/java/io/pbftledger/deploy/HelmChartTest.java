package io.pbftledger.deploy;

import static io.pbftledger.deploy.ChartFixture.FULLNAME;
import static io.pbftledger.deploy.ChartFixture.HEADLESS;
import static io.pbftledger.deploy.Yamls.asMap;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.listAt;
import static io.pbftledger.deploy.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.pbftledger.testing.DeploymentTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the chart for the value sets (default, 7 replicas, external PostgreSQL, TLS, and a
 * release grown, shrunk or re-keyed by replica-set changes) and checks the objects.
 */
@DeploymentTest
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

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        assertThat(sets).hasSize(4);
        for (int i = 0; i < 4; i++) {
            Map<String, Object> sts = sets.get(i);
            assertThat(at(sts, "metadata", "name")).isEqualTo(FULLNAME + "-" + i);
            assertThat(at(sts, "spec", "replicas")).isEqualTo(1);
            assertThat(at(sts, "spec", "serviceName")).isEqualTo(HEADLESS);
            assertProbes(Pods.container(sts), "HTTP");
            assertThat(listAt(sts, "spec", "volumeClaimTemplates")).hasSize(1);
            assertThat(mapAt(sts, "spec", "template", "metadata", "annotations")).containsKeys("checksum/config", "checksum/replica-keys");
        }
        Map<String, Object> headless = m.named("Service", HEADLESS).orElseThrow();
        assertThat(at(headless, "spec", "clusterIP")).isEqualTo("None");
        assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
        assertThat(m.named("Service", FULLNAME)).isPresent();
        for (Map<String, Object> service : m.ofKind("Service")) {
            Map<String, Object> selector = mapAt(service, "spec", "selector");
            sets.forEach(sts -> assertThat(Pods.podLabels(sts)).containsAllEntriesOf(selector));
        }

        assertMembershipMatchesKeygen(m, keys, ChartFixture.peerUrls("http", 4));
        Map<String, Object> pdb = m.one("PodDisruptionBudget");
        assertThat(at(pdb, "spec", "maxUnavailable")).isEqualTo(1);
        sets.forEach(sts -> assertThat(Pods.podLabels(sts)).containsAllEntriesOf(mapAt(pdb, "spec", "selector", "matchLabels")));
        assertSecretsStayOutOfConfigMaps(m, secretsOf(keys));
    }

    @Test
    void inlineReplicaKeysBecomeOneSecretPerReplicaHoldingKeygensFile() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        Manifests m = chart.render(ChartFixture.baseValues(keys));

        for (int i = 0; i < 4; i++) {
            Map<String, Object> secret = m.named("Secret", FULLNAME + "-replica-" + i).orElseThrow();
            assertThat(Pods.decodedData(secret)).containsExactly(Map.entry("replica-" + i + ".key", keys.read(keys.replicaKey(i))));
            Map<String, Object> env = Pods.envByName(Pods.container(Pods.replicaSets(m).get(i)));
            assertThat(at(env, "LEDGER_REPLICA_ID", "value")).isEqualTo(String.valueOf(i));
            assertThat(at(env, "LEDGER_KEY_FILE", "value")).isEqualTo("/etc/pbft-ledger/keys/replica-" + i + ".key");
        }
    }

    @Test
    void fiveReplicasTolerateOneFaultAndThePdbLetsOnlyOneGo() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(5);
        Map<String, Object> values = ChartFixture.baseValues(keys);

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        assertThat(Pods.replicaSets(m)).hasSize(5);
        assertMembershipMatchesKeygen(m, keys, ChartFixture.peerUrls("http", 5));
        assertThat(at(m.one("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
    }

    @Test
    void sevenReplicasToleratingTwoFaultsWithKeysFromAnExistingSecret() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(7);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "replicaKeys",
                Map.of("existingSecretPrefix", "ops-replica-", "files", List.of()));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        assertThat(sets).hasSize(7);
        assertMembershipMatchesKeygen(m, keys, ChartFixture.peerUrls("http", 7));
        assertThat(at(m.one("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(2);
        assertThat(m.ofKind("Secret")).isEmpty();
        for (int i = 0; i < 7; i++) {
            assertThat(Pods.mountedSecrets(Pods.podSpec(sets.get(i)))).containsExactly("ops-replica-" + i);
        }
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

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        for (int i = 0; i < 4; i++) {
            Map<String, Object> sts = sets.get(i);
            Map<String, Object> env = envByName(container(sts));
            assertThat(at(env, "SPRING_PROFILES_ACTIVE", "value")).isEqualTo("postgres");
            assertThat(at(env, "LEDGER_DB_URL", "value")).isEqualTo("jdbc:postgresql://pg.db.svc:5432/ledger_" + i);
            assertThat(at(env, "LEDGER_DB_PASSWORD", "valueFrom", "secretKeyRef", "name")).isEqualTo(FULLNAME + "-postgresql");
            assertThat(asMap(at(env, "LEDGER_DB_PASSWORD"))).doesNotContainKey("value");
            assertThat(asMap(at(sts, "spec"))).doesNotContainKey("volumeClaimTemplates");
        }
        List<String> secrets = new ArrayList<>(secretsOf(keys));
        secrets.add("s3cret-db-password");
        assertSecretsStayOutOfConfigMaps(m, secrets);
        assertThat(m.named("Secret", FULLNAME + "-postgresql")).isPresent();
    }

    @Test
    void tlsServesHttpsWithHttpsPeerUrlsAndProbes() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.tlsKeys(4);
        Map<String, Object> values = ChartFixture.tlsValues(keys);

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        assertMembershipMatchesKeygen(m, keys, ChartFixture.peerUrls("https", 4));
        for (Map<String, Object> sts : Pods.replicaSets(m)) {
            assertProbes(container(sts), "HTTPS");
        }
        Map<String, Object> replicaConfig = Yamls.load((String) at(m.one("ConfigMap"), "data", "replica.yml"));
        assertThat(at(replicaConfig, "server", "ssl", "bundle")).isEqualTo("ledger");
        assertThat(at(replicaConfig, "spring", "ssl", "bundle", "pem", "ledger", "keystore", "private-key"))
                .isEqualTo("/etc/pbft-ledger/tls/tls.key");
        assertSecretsStayOutOfConfigMaps(m, secretsOf(keys));
    }

    @Test
    void podsRunRestrictedAndTheHelmTestSubmitsThroughTheClientService() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.baseValues(chart.keys(4));
        Manifests m = chart.render(values);

        Map<String, Object> sts = Pods.replicaSets(m).get(0);
        Map<String, Object> pod = Pods.podSpec(sts);
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
        Map<String, Object> security = mapAt(container(sts), "securityContext");
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

    @Test
    void theActuatorHasAPortOfItsOwnOnThePodsAndTheHeadlessServiceButNotOnTheClientService() {
        ChartFixture chart = new ChartFixture(work);
        Manifests m = chart.render(ChartFixture.baseValues(chart.keys(4)));

        Map<String, Object> replicaConfig = Yamls.load((String) at(m.one("ConfigMap"), "data", "replica.yml"));
        assertThat(at(replicaConfig, "server", "port")).isEqualTo(8080);
        assertThat(at(replicaConfig, "management", "server", "port")).isEqualTo(9090);
        for (Map<String, Object> sts : Pods.replicaSets(m)) {
            assertThat(listAt(container(sts), "ports")).containsExactlyInAnyOrder(
                    Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
                    Map.of("name", "management", "containerPort", 9090, "protocol", "TCP"));
        }
        assertThat(listAt(m.named("Service", HEADLESS).orElseThrow(), "spec", "ports")).containsExactlyInAnyOrder(
                Map.of("name", "http", "port", 8080, "targetPort", "http"),
                Map.of("name", "management", "port", 9090, "targetPort", "management"));
        assertThat(listAt(m.named("Service", FULLNAME).orElseThrow(), "spec", "ports")).as("clients get no metrics")
                .containsExactly(Map.of("name", "http", "port", 8080, "targetPort", "http"));
    }

    @Test
    void theServiceMonitorScrapesTheManagementPortOfEveryPodOverTheReplicasScheme() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "serviceMonitor",
                Map.of("enabled", true, "labels", Map.of("release", "prometheus")));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        Map<String, Object> monitor = m.one("ServiceMonitor");
        Map<String, Object> endpoint = asMap(listAt(monitor, "spec", "endpoints").get(0));
        assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus")
                .containsEntry("scheme", "http").doesNotContainKey("tlsConfig");
        Map<String, Object> headless = m.named("Service", HEADLESS).orElseThrow();
        assertThat(mapAt(headless, "metadata", "labels")).containsAllEntriesOf(mapAt(monitor, "spec", "selector", "matchLabels"));
        assertThat(m.ofKind("Service")).filteredOn(service -> mapAt(service, "metadata", "labels").entrySet()
                .containsAll(mapAt(monitor, "spec", "selector", "matchLabels").entrySet())).containsExactly(headless);

        // with TLS the management port serves the replica's certificate too
        ChartFixture tlsChart = new ChartFixture(work.resolve("tls"));
        Map<String, Object> tls = ChartFixture.with(ChartFixture.tlsValues(tlsChart.tlsKeys(4)), "serviceMonitor", Map.of("enabled", true));
        Map<String, Object> tlsEndpoint = asMap(listAt(tlsChart.render(tls).one("ServiceMonitor"), "spec", "endpoints").get(0));
        assertThat(tlsEndpoint).containsEntry("port", "management").containsEntry("scheme", "https");
        assertThat(at(tlsEndpoint, "tlsConfig", "serverName")).isEqualTo("localhost");
    }

    @Test
    void withTlsTheImagesHealthCheckAsksTheApiPortsReadinessProbe() {
        ChartFixture chart = new ChartFixture(work);
        Manifests m = chart.render(ChartFixture.tlsValues(chart.tlsKeys(4)));

        for (Map<String, Object> sts : Pods.replicaSets(m)) {
            assertThat(at(envByName(container(sts)), "LEDGER_HEALTH_URL", "value")).isEqualTo("https://127.0.0.1:8080/readyz");
        }
    }

    @Test
    void aFiveReplicaReleaseOnAFourReplicaMembershipRunsReplicaFourAsAJoiner() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        String joinerKey = chart.joinKey(keys, 4);
        List<String> files = new ArrayList<>(keys.replicaKeyFiles());
        files.add(joinerKey);
        Map<String, Object> values = ChartFixture.deepMerge(ChartFixture.baseValues(keys),
                Map.of("replicaCount", 5, "replicaKeys", Map.of("files", files)));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        assertThat(sets).extracting(Pods::replicaId).containsExactly(0, 1, 2, 3, 4);
        for (Map<String, Object> sts : sets) {
            Map<String, Object> env = envByName(container(sts));
            if (Pods.replicaId(sts) == 4) {
                assertThat(at(env, "LEDGER_JOIN", "value")).as("replica 4 joins").isEqualTo("true");
            } else {
                assertThat(env).as("env of genesis replica %d", Pods.replicaId(sts)).doesNotContainKey("LEDGER_JOIN");
            }
        }
        assertThat(Pods.decodedData(m.named("Secret", FULLNAME + "-replica-4").orElseThrow()))
                .containsExactly(Map.entry("replica-4.key", joinerKey));
        assertThat(Pods.mountedSecrets(Pods.podSpec(sets.get(4)))).containsExactly(FULLNAME + "-replica-4");
        // the membership file stays the genesis one: the chain, not the file, lists replica 4
        assertMembershipMatchesKeygen(m, keys, ChartFixture.peerUrls("http", 4));
        assertThat(at(m.one("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
        assertThat(chart.renderNotes(values)).contains("5 replicas (tolerates f = 1 faulty)")
                .contains("--id 4 --url " + ChartFixture.peerUrls("http", 5).get(4))
                .contains("--public-key " + Yamls.load(joinerKey).get("publicKey"));
    }

    @Test
    void aRemovedReplicaGetsNoStatefulSetNoSecretAndNoPlaceInThePdb() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(5);
        List<String> files = new ArrayList<>(keys.replicaKeyFiles());
        files.set(1, null);
        Map<String, Object> values = ChartFixture.deepMerge(ChartFixture.baseValues(keys),
                Map.of("removedReplicas", List.of(1), "replicaKeys", Map.of("files", files)));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        List<Map<String, Object>> sets = Pods.replicaSets(m);
        assertThat(sets).extracting(Pods::replicaId).containsExactly(0, 2, 3, 4);
        assertThat(m.ofKind("StatefulSet")).extracting(sts -> at(sts, "metadata", "name")).doesNotContain(FULLNAME + "-1");
        assertThat(m.ofKind("Secret")).extracting(secret -> at(secret, "metadata", "name"))
                .containsExactlyInAnyOrder(FULLNAME + "-replica-0", FULLNAME + "-replica-2", FULLNAME + "-replica-3",
                        FULLNAME + "-replica-4");
        sets.forEach(sts -> assertThat(envByName(container(sts))).doesNotContainKey("LEDGER_JOIN"));
        // n = 4 replicas in the set: f = 1, and the PDB selects exactly their pods
        Map<String, Object> pdb = m.one("PodDisruptionBudget");
        assertThat(at(pdb, "spec", "maxUnavailable")).isEqualTo(1);
        sets.forEach(sts -> assertThat(Pods.podLabels(sts)).containsAllEntriesOf(mapAt(pdb, "spec", "selector", "matchLabels")));
        String notes = chart.renderNotes(values);
        assertThat(notes).contains("4 replicas (tolerates f = 1 faulty)").doesNotContain(ChartFixture.peerUrls("http", 5).get(1));
    }

    @Test
    void removingAReplicaOfSevenLowersThePdbAndTheNotesToTheFaultsSixTolerate() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(7);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "removedReplicas", List.of(6));

        Manifests m = chart.render(values);

        assertThat(Pods.replicaSets(m)).extracting(Pods::replicaId).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(at(m.one("PodDisruptionBudget"), "spec", "maxUnavailable")).as("f of n = 6").isEqualTo(1);
        assertThat(chart.renderNotes(values)).contains("6 replicas (tolerates f = 1 faulty)")
                .contains("data-" + FULLNAME + "-6-0");
    }

    @Test
    void growingAndShrinkingLeaveThePodTemplatesOfTheOtherReplicasAsTheyWere() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        Map<String, Object> before = ChartFixture.baseValues(keys);
        List<String> files = new ArrayList<>(keys.replicaKeyFiles());
        files.add(chart.joinKey(keys, 4));
        Map<String, Object> grown = ChartFixture.deepMerge(before, Map.of("replicaCount", 5, "replicaKeys", Map.of("files", files)));
        Map<String, Object> shrunk = ChartFixture.with(grown, "removedReplicas", List.of(1));

        List<Map<String, Object>> podsBefore = podTemplates(chart.render(before));
        List<Map<String, Object>> podsGrown = podTemplates(chart.render(grown));
        List<Map<String, Object>> podsShrunk = podTemplates(chart.render(shrunk));

        assertThat(podsGrown.subList(0, 4)).as("replicas 0..3 after adding replica 4").isEqualTo(podsBefore);
        assertThat(podsShrunk).as("replicas 0, 2, 3, 4 after removing replica 1")
                .containsExactly(podsBefore.get(0), podsBefore.get(2), podsBefore.get(3), podsGrown.get(4));
    }

    @Test
    void aRotatedKeyIsCheckedForItsReplicaIdOnlyAndItsPodStartsWithJoin() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        String rotated = chart.joinKey(keys, 2);
        List<String> files = new ArrayList<>(keys.replicaKeyFiles());
        files.set(2, rotated);
        Map<String, Object> values = ChartFixture.deepMerge(ChartFixture.baseValues(keys),
                Map.of("rotatedKeys", List.of(2), "replicaKeys", Map.of("files", files)));

        Manifests m = chart.render(values);

        assertThat(Pods.decodedData(m.named("Secret", FULLNAME + "-replica-2").orElseThrow()))
                .containsExactly(Map.entry("replica-2.key", rotated));
        for (Map<String, Object> sts : Pods.replicaSets(m)) {
            assertThat(envByName(container(sts)).containsKey("LEDGER_JOIN")).as("replica %d joins", Pods.replicaId(sts))
                    .isEqualTo(Pods.replicaId(sts) == 2);
        }
        // the key file of another replica is still refused in replica 2's place
        List<String> wrongId = new ArrayList<>(keys.replicaKeyFiles());
        wrongId.set(2, chart.joinKey(keys, 3));
        Map<String, Object> refused = ChartFixture.with(values, "replicaKeys", Map.of("files", wrongId));
        assertThatThrownBy(() -> chart.render(refused)).hasMessageContaining("replicaKeys.files[2] is the key file of replica 3");
    }

    @Test
    void withReplicaZeroRemovedTheTlsHelmTestAsksTheLowestReplicaLeftByItsPodName() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.tlsValues(chart.tlsKeys(5)), "removedReplicas", List.of(0));

        assertThat(Pods.replicaSets(chart.render(values))).extracting(Pods::replicaId).containsExactly(1, 2, 3, 4);
        Map<String, Object> testPod = chart.renderTestHooks(values).named("Pod", FULLNAME + "-test-commit").orElseThrow();
        String command = String.join(" ", listAt(asMap(listAt(testPod, "spec", "containers").get(0)), "command").stream()
                .map(String::valueOf).toList());
        assertThat(command).contains("--node " + ChartFixture.peerUrls("https", 2).get(1));
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

    /** The probes test the API port, the one clients use, at the paths the replica serves there whatever its management port. */
    private static void assertProbes(Map<String, Object> container, String scheme) {
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/livez");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
        assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/livez");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(at(container, probe, "httpGet", "scheme")).isEqualTo(scheme);
            assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo(scheme.toLowerCase(java.util.Locale.ROOT));
        }
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

    /** The pod template of each replica's StatefulSet, by replica id: a change to one restarts that replica. */
    private static List<Map<String, Object>> podTemplates(Manifests m) {
        return Pods.replicaSets(m).stream().map(sts -> mapAt(sts, "spec", "template")).toList();
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
        return Pods.container(statefulSet);
    }

    private static Map<String, Object> envByName(Map<String, Object> container) {
        return Pods.envByName(container);
    }
}
