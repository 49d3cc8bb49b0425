package io.pbftledger.deploy;

import static io.pbftledger.deploy.ChartFixture.FULLNAME;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.pbftledger.testing.DeploymentTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerting rules (a PrometheusRule) and Grafana dashboard (a ConfigMap for the Grafana
 * sidecar) are off by default and, switched on, carry the chart's files as they are: the same files the
 * docker-compose profile "monitoring" mounts.
 */
@DeploymentTest
class HelmChartMonitoringTest {
    private static final String DASHBOARD_KEY = "pbft-ledger.json";

    @TempDir
    java.nio.file.Path work;

    @Test
    void neitherTheRulesNorTheDashboardAreRenderedByDefault() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.baseValues(chart.keys(4));

        Manifests m = chart.render(values);

        assertThat(m.ofKind("PrometheusRule")).isEmpty();
        assertThat(m.ofKind("ConfigMap")).noneSatisfy(cm -> assertThat(mapAt(cm, "metadata", "labels")).containsKey("grafana_dashboard"));
        assertThat(m.named("ConfigMap", FULLNAME + "-dashboard")).isEmpty();
        Map<String, Object> defaults = Yamls.load(MonitoringFiles.read(ChartFixture.CHART.resolve("values.yaml")));
        assertThat(at(defaults, "prometheusRule", "enabled")).isEqualTo(false);
        assertThat(at(defaults, "grafanaDashboard", "enabled")).isEqualTo(false);
    }

    @Test
    void thePrometheusRuleHoldsTheRulesFileAsItIs() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "prometheusRule",
                Map.of("enabled", true, "labels", Map.of("release", "prometheus")));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        Map<String, Object> rule = m.one("PrometheusRule");
        assertThat(rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(at(rule, "metadata", "name")).isEqualTo(FULLNAME);
        assertThat(mapAt(rule, "metadata", "labels")).containsEntry("release", "prometheus")
                .containsEntry("app.kubernetes.io/instance", ChartFixture.RELEASE);
        assertThat(mapAt(rule, "spec")).isEqualTo(MonitoringFiles.rules());
        // Helm left the rules' own templates ({{ $labels.replica }}) to Prometheus
        assertThat(String.valueOf(mapAt(rule, "spec"))).contains("{{ $labels.replica }}");
        // the ServiceMonitor's job is the headless Service, which the rules' job matcher finds
        assertThat(MonitoringFiles.jobMatchers()).isNotEmpty().allSatisfy(job -> assertThat(ChartFixture.HEADLESS).matches(job));
        assertThat(chart.renderNotes(values)).contains("PrometheusRule " + FULLNAME).doesNotContain("WARNING");
    }

    @Test
    void theDashboardConfigMapHoldsTheDashboardFileByteForByteForTheGrafanaSidecar() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "grafanaDashboard",
                Map.of("enabled", true, "annotations", Map.of("grafana_folder", "Ledger")));

        assertLintPasses(chart.lint(values));
        Manifests m = chart.render(values);

        Map<String, Object> configMap = m.named("ConfigMap", FULLNAME + "-dashboard").orElseThrow();
        assertThat(mapAt(configMap, "metadata", "labels")).containsEntry("grafana_dashboard", "1");
        assertThat(mapAt(configMap, "metadata", "annotations")).containsExactly(Map.entry("grafana_folder", "Ledger"));
        assertThat(mapAt(configMap, "data")).containsOnlyKeys(DASHBOARD_KEY);
        assertThat(at(configMap, "data", DASHBOARD_KEY)).isEqualTo(MonitoringFiles.read(MonitoringFiles.DASHBOARD));
        assertThat(m.ofKind("PrometheusRule")).as("each is switched on by itself").isEmpty();
    }

    @Test
    void aSidecarLabelOfTheValuesReplacesTheChartsOne() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.with(ChartFixture.baseValues(chart.keys(4)), "grafanaDashboard",
                Map.of("enabled", true, "labels", Map.of("grafana_dashboard", "ledger", "team", "ops")));

        Map<String, Object> configMap = chart.render(values).named("ConfigMap", FULLNAME + "-dashboard").orElseThrow();

        assertThat(mapAt(configMap, "metadata", "labels")).containsEntry("grafana_dashboard", "ledger").containsEntry("team", "ops");
    }

    @Test
    void theSchemaRefusesUnknownMonitoringValues() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> base = ChartFixture.baseValues(chart.keys(4));

        assertThatThrownBy(() -> chart.render(ChartFixture.with(base, "prometheusRule", Map.of("enabled", true, "rules", "x"))))
                .hasMessageContaining("prometheusRule");
        assertThatThrownBy(() -> chart.render(ChartFixture.with(base, "grafanaDashboard", Map.of("enabled", "yes"))))
                .hasMessageContaining("grafanaDashboard");
    }

    @Test
    void theNotesWarnWhenTheServiceMonitorsJobNoLongerNamesTheChart() {
        ChartFixture chart = new ChartFixture(work);
        Map<String, Object> values = ChartFixture.deepMerge(ChartFixture.baseValues(chart.keys(4)),
                Map.of("fullnameOverride", "ledger", "prometheusRule", Map.of("enabled", true)));

        assertThat(chart.renderNotes(values)).contains("WARNING: the rules find the replicas by a job name containing \"pbft-ledger\"")
                .contains("ledger-headless");
    }

    private static void assertLintPasses(LintResult lint) {
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }
}
