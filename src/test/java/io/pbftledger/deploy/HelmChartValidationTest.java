package io.pbftledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.pbftledger.testing.DeploymentTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values the chart must refuse, each with a message that says what to fix. */
@DeploymentTest
class HelmChartValidationTest {
    @TempDir
    java.nio.file.Path work;

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 101})
    void schemaRejectsReplicaCountsOutsideFourToAHundred(int replicas) {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "replicaCount", replicas);

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("replicaCount");
    }

    @Test
    void renderingTheBareDefaultsFailsWithHowToGenerateTheMembership() {
        ChartFixture chart = new ChartFixture(work);

        assertThatThrownBy(() -> chart.render(Map.of())).hasMessageContaining("membership.file is required").hasMessageContaining("keygen");
    }

    @Test
    void strictLintPassesWithTheBareDefaultsSoCiCanLintWithoutKeys() {
        LintResult lint = new ChartFixture(work).lint(Map.of());

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    /**
     * A membership that fixes the checkpoint interval keeps it in the rendered file (it is part of the
     * genesis hash) and configures every replica with it; extraConfig cannot contradict it.
     */
    @Test
    void aCheckpointIntervalTheMembershipFixesIsKeptAndEveryReplicaIsConfiguredWithIt() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        String fixed = keys.read(keys.membership()).replaceFirst("(?m)^chainId: (.*)$", "chainId: $1\ncheckpointInterval: 20");
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "membership", Map.of("file", fixed));

        Manifests m = chart.render(values);
        Map<String, Object> membership = Yamls.load((String) Yamls.at(m.one("ConfigMap"), "data", "membership.yml"));
        Map<String, Object> replica = Yamls.load((String) Yamls.at(m.one("ConfigMap"), "data", "replica.yml"));
        assertThat(((Number) membership.get("checkpointInterval")).longValue()).isEqualTo(20);
        assertThat(((Number) Yamls.at(replica, "ledger", "checkpoint-interval")).longValue()).isEqualTo(20);
        assertThat(((Number) Yamls.at(replica, "ledger", "watermark-window")).longValue()).isEqualTo(40);

        Map<String, Object> contradicting = ChartFixture.with(values, "ledger",
                Map.of("extraConfig", Map.of("ledger", Map.of("checkpoint-interval", 50))));
        assertThatThrownBy(() -> chart.render(contradicting))
                .hasMessageContaining("ledger.extraConfig.ledger.checkpoint-interval is 50, but membership.file fixes checkpointInterval: 20");
        Map<String, Object> plain = Yamls.load((String) Yamls.at(chart.render(ChartFixture.baseValues(keys)).one("ConfigMap"),
                "data", "membership.yml"));
        assertThat(plain).doesNotContainKey("checkpointInterval");
    }

    @Test
    void aReplicaCountAboveTheMembershipNeedsAKeyFileForEachJoiner() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "replicaCount", 7);

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("replicaKeys.files[4] is missing")
                .hasMessageContaining("replica 4 joins").hasMessageContaining("keygen --join --id 4");
    }

    @Test
    void aJoinersKeyFileMustBeTheKeyFileOfItsReplicaId() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        List<String> files = new java.util.ArrayList<>(keys.replicaKeyFiles());
        files.add(chart.joinKey(keys, 5));
        Map<String, Object> values = ChartFixture.deepMerge(ChartFixture.baseValues(keys),
                Map.of("replicaCount", 5, "replicaKeys", Map.of("files", files)));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("replicaKeys.files[4] is the key file of replica 5");
    }

    @Test
    void aReplicaCountBelowTheMembershipWithoutRemovalsIsRefusedWithHowToRemove() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(5);
        Map<String, Object> values = ChartFixture.deepMerge(ChartFixture.baseValues(keys),
                Map.of("replicaCount", 4, "replicaKeys", Map.of("files", keys.replicaKeyFiles().subList(0, 4))));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("membership.file lists 5 replicas, but replicaCount is 4")
                .hasMessageContaining("keep replicaCount at 5").hasMessageContaining("removedReplicas");
    }

    @Test
    void aRemovedIdOutsideTheReleasesReplicaIdsIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(5)), "removedReplicas", List.of(2, 5));

        assertThatThrownBy(() -> chart.render(values))
                .hasMessageContaining("removedReplicas lists [5], but this release's replica ids are 0..4 (replicaCount 5)");
    }

    @Test
    void removalsThatLeaveFewerThanFourReplicasAreRefused() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(5)), "removedReplicas", List.of(1, 3));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("leaves 3 replicas in the set, but PBFT needs at least 4");
    }

    @Test
    void aMissingKeyFileOfAReplicaStillInTheSetIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(5);
        List<String> files = new java.util.ArrayList<>(keys.replicaKeyFiles());
        files.set(1, null);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "replicaKeys", Map.of("files", files));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("replicaKeys.files[1] is missing")
                .hasMessageContaining("removedReplicas");
    }

    @Test
    void aRotatedIdOutsideTheSetIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> outside = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "rotatedKeys", List.of(4));
        Map<String, Object> removed = ChartFixture.deepMerge(ChartFixture.baseValues(chart.keys(5)),
                Map.of("rotatedKeys", List.of(1), "removedReplicas", List.of(1)));

        assertThatThrownBy(() -> chart.render(outside))
                .hasMessageContaining("rotatedKeys lists [4], but this release's replica ids are 0..3");
        assertThatThrownBy(() -> chart.render(removed)).hasMessageContaining("rotatedKeys lists [1], which removedReplicas lists too");
    }

    @Test
    void schemaRejectsRepeatedOrOutOfRangeReplicaIds() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> base = ChartFixture.baseValues(chart.keys(5));

        assertThatThrownBy(() -> chart.render(ChartFixture.with(base, "removedReplicas", List.of(1, 1))))
                .hasMessageContaining("/removedReplicas").hasMessageContaining("are equal");
        assertThatThrownBy(() -> chart.render(ChartFixture.with(base, "removedReplicas", List.of(100))))
                .hasMessageContaining("/removedReplicas/0").hasMessageContaining("maximum");
        assertThatThrownBy(() -> chart.render(ChartFixture.with(base, "rotatedKeys", List.of(-1))))
                .hasMessageContaining("/rotatedKeys/0").hasMessageContaining("minimum");
        assertThatThrownBy(() -> chart.render(ChartFixture.with(base, "rotatedKeys", List.of("2"))))
                .hasMessageContaining("/rotatedKeys/0").hasMessageContaining("want integer");
    }

    @Test
    void aReplicaKeyFromAnotherKeygenRunIsRefusedAtRenderTime() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.keys(4);
        GeneratedKeys other = GeneratedKeys.generate(work.resolve("other"), 4, 1, "http://x-{i}:8080", "pbft-helm-test");
        List<String> files = new java.util.ArrayList<>(keys.replicaKeyFiles());
        files.set(2, other.read(other.replicaKey(2)));
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "replicaKeys", Map.of("files", files));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("replicaKeys.files[2] holds public key");
    }

    @Test
    void missingReplicaKeysAreRefused() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "replicaKeys", Map.of("files", List.of()));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("replica keys are required");
    }

    @Test
    void aManagementPortThatIsTheApiPortIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "service",
                Map.of("port", 8443, "managementPort", 8443));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("service.managementPort (8443) must differ from "
                + "service.port");
    }

    @Test
    void postgresqlWithoutAPerReplicaUrlTemplateIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "postgresql", Map.of(
                "enabled", true, "urlTemplate", "jdbc:postgresql://pg:5432/ledger",
                "auth", Map.of("existingSecret", "db")));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("urlTemplate");
    }

    @Test
    void tlsWithoutTheClusterCaIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "tls",
                Map.of("enabled", true, "existingSecretPrefix", "ledger-tls-"));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("tls.ca is required").hasMessageContaining("tls/ca.crt");
    }

    @Test
    void tlsWithoutReplicaCertificatesIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.tlsKeys(4);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(keys), "tls",
                Map.of("enabled", true, "ca", keys.read(keys.tlsCa())));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("tls.existingSecretPrefix").hasMessageContaining("tls.files");
    }

    @Test
    void oneCertificateSecretForAllPodsIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.tlsKeys(4);
        Map<String, Object> values = ChartFixture.with(ChartFixture.tlsValues(keys), "tls", Map.of("existingSecret", "ledger-tls"));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("tls.existingSecret").hasMessageContaining("tls.existingSecretPrefix");
    }

    @Test
    void oneKeySecretForAllPodsIsRefused() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "replicaKeys",
                Map.of("existingSecret", "ledger-replica-keys", "files", List.of()));

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("replicaKeys.existingSecret")
                .hasMessageContaining("replicaKeys.existingSecretPrefix").hasMessageContaining("only its own");
    }

    @Test
    void tlsFilesWhoseCertificatesNameOtherHostsAreRefusedWithTheUrlTemplateToUse() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = GeneratedKeys.generateTls(work.resolve("elsewhere"), 4, 1, "https://replica-{i}:8443", "pbft-helm-test");

        assertThatThrownBy(() -> chart.render(ChartFixture.tlsValues(keys)))
                .hasMessageContaining("https://replica-0:8443").hasMessageContaining(ChartFixture.POD_URL_TEMPLATE);
    }

    @Test
    void tlsFilesForTooFewReplicasAreRefused() {
        ChartFixture chart = new ChartFixture(work);
        GeneratedKeys keys = chart.tlsKeys(4);
        Map<String, Object> values = ChartFixture.tlsValues(keys);
        Map<String, Object> tls = Yamls.asMap(values.get("tls"));
        Map<String, Object> files = Yamls.asMap(tls.get("files"));
        files.put("keys", Yamls.asList(files.get("keys")).subList(0, 3));
        tls.put("files", files);
        values.put("tls", tls);

        assertThatThrownBy(() -> chart.render(values)).hasMessageContaining("tls.files.keys");
    }

    @Test
    void aChangedMembershipChangesThePodTemplateSoTheReplicasRestart() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> first = ChartFixture.baseValues(chart.keys(4));
        Map<String, Object> second = ChartFixture.baseValues(
                GeneratedKeys.generate(work.resolve("second"), 4, 2, "http://r-{i}:8080", "pbft-helm-test"));

        Object checksumA = Yamls.at(Pods.replicaSets(chart.render(first)).get(0), "spec", "template", "metadata", "annotations", "checksum/config");
        Object checksumB = Yamls.at(Pods.replicaSets(chart.render(second)).get(0), "spec", "template", "metadata", "annotations", "checksum/config");

        assertThat(checksumA).isNotEqualTo(checksumB);
    }
}
