package io.pbftledger.deploy;

import static io.pbftledger.deploy.Yamls.asMap;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.listAt;
import static io.pbftledger.deploy.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard and the alerting rules are well formed: the dashboard is Grafana JSON whose every panel
 * queries the Prometheus of its datasource variable, the rules file is Prometheus rule groups whose
 * every rule has a name, an expression, a severity and a summary, and OPERATIONS.md's alert table names
 * exactly the rules there are. Which metrics they read is MonitoringMetricsExportedTest's.
 */
class MonitoringFilesTest {
    private static final Set<String> SEVERITIES = Set.of("warning", "critical");

    @Test
    void theDashboardIsGrafanaJsonWithADatasourceVariableAndAReplicaVariable() {
        JsonNode dashboard = MonitoringFiles.dashboard();

        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(38);
        assertThat(dashboard.path("uid").asString()).isEqualTo("pbft-ledger");
        Map<String, JsonNode> variables = new java.util.LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asString(), v));
        assertThat(variables).containsKeys("datasource", "job", "replica");
        assertThat(variables.get("datasource").path("type").asString()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asString()).isEqualTo("prometheus");
        for (String name : List.of("job", "replica")) {
            assertThat(variables.get(name).path("type").asString()).isEqualTo("query");
            assertThat(variables.get(name).path("datasource").path("uid").asString()).isEqualTo("${datasource}");
        }
    }

    @Test
    void everyPanelQueriesTheDatasourceVariableWithANonEmptyExpressionForTheChosenReplicas() {
        JsonNode panels = MonitoringFiles.dashboard().path("panels");
        assertThat(panels.size()).isGreaterThanOrEqualTo(9);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asString();
            assertThat(ids.add(panel.path("id").asInt())).as("panel id of %s is unique", title).isTrue();
            assertThat(panel.path("datasource").path("uid").asString()).as("datasource of %s", title).isEqualTo("${datasource}");
            assertThat(panel.path("targets").size()).as("queries of %s", title).isPositive();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                assertThat(expr).as("expr of %s / %s", title, target.path("refId").asString()).isNotBlank();
                assertThat(target.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
                assertThat(selectors(expr)).as("series selectors of %s: %s", title, expr).isNotEmpty()
                        .allSatisfy(selector -> assertThat(selector).contains("job=~\"$job\"", "replica=~\"$replica\""));
                for (String metric : MonitoringFiles.metricNames(expr)) {
                    assertThat(Pattern.compile("(?<![\\w:])" + metric + "(?![\\w:{])").matcher(expr).find())
                            .as("%s without label matchers in %s", metric, expr).isFalse();
                }
            }
        }
    }

    @Test
    void theDashboardShowsWhatAnOperatorWatches() {
        Map<String, String> expressions = MonitoringFiles.dashboardExpressions();
        Set<String> used = new HashSet<>();
        expressions.values().forEach(expr -> used.addAll(MonitoringFiles.metricNames(expr)));

        assertThat(used).contains("pbft_transactions_committed_total", "pbft_commit_latency_seconds_bucket", "pbft_view",
                "pbft_view_change_causes_total", "pbft_checkpoint_stable_sequence", "pbft_peer_reachable",
                "pbft_messages_dropped_total", "pbft_pipeline_queue", "pbft_peer_send_queue_messages",
                "pbft_mempool_size_transactions", "jvm_memory_used_bytes");
        assertThat(expressions.values()).anySatisfy(expr -> assertThat(expr).contains("histogram_quantile(0.99"))
                .anySatisfy(expr -> assertThat(expr).contains("sum by (cause)"))
                .anySatisfy(expr -> assertThat(expr).contains("sum by (stage, reason)"))
                .anySatisfy(expr -> assertThat(expr).contains("area=\"heap\""));
    }

    @Test
    void everyRuleHasANameAnExpressionASeverityAndASummaryAndNamesAreUnique() {
        List<Object> groups = listAt(MonitoringFiles.rules(), "groups");
        assertThat(groups).extracting(g -> asMap(g).get("name"))
                .containsExactly(MonitoringFiles.REPLICA_GROUP, MonitoringFiles.HOST_GROUP);
        Set<String> names = new HashSet<>();
        for (Object group : groups) {
            List<Object> rules = listAt(asMap(group), "rules");
            assertThat(rules).as("rules of %s", asMap(group).get("name")).isNotEmpty();
            for (Object r : rules) {
                Map<String, Object> rule = asMap(r);
                assertThat(rule).as("a rule of %s", asMap(group).get("name")).containsKeys("alert", "expr", "labels", "annotations")
                        .doesNotContainKey("record");
                String alert = (String) rule.get("alert");
                assertThat(alert).matches("Pbft[A-Z][A-Za-z]+");
                assertThat(names.add(alert)).as("%s names one rule", alert).isTrue();
                assertThat(String.valueOf(rule.get("expr"))).as("expr of %s", alert).isNotBlank();
                assertThat(String.valueOf(at(rule, "labels", "severity"))).as("severity of %s", alert).isIn(SEVERITIES);
                assertThat(String.valueOf(at(rule, "annotations", "summary"))).as("summary of %s", alert).isNotBlank();
                assertThat(String.valueOf(at(rule, "annotations", "description"))).as("description of %s", alert).isNotBlank();
                if (rule.containsKey("for")) {
                    assertThat(String.valueOf(rule.get("for"))).as("for of %s", alert).matches("[0-9]+[smh]");
                }
            }
        }
    }

    /** OPERATIONS.md's alert table gives each row its rules; together they are the rules file's alerts. */
    @Test
    void theOperationsAlertTableNamesExactlyTheRulesOfTheRulesFile() {
        String operations = MonitoringFiles.read(java.nio.file.Path.of("OPERATIONS.md"));
        int start = operations.indexOf("## Alerts");
        assertThat(start).isNotNegative();
        int end = operations.indexOf("\n## ", start + 1);
        String section = operations.substring(start, end < 0 ? operations.length() : end);
        List<String> documented = new ArrayList<>();
        Matcher m = Pattern.compile("`(Pbft[A-Za-z]+)`").matcher(section);
        while (m.find()) {
            documented.add(m.group(1));
        }
        List<String> defined = new ArrayList<>();
        for (Object group : listAt(MonitoringFiles.rules(), "groups")) {
            listAt(asMap(group), "rules").forEach(rule -> defined.add((String) asMap(rule).get("alert")));
        }

        assertThat(section).contains(MonitoringFiles.RULES.toString(), MonitoringFiles.DASHBOARD.toString(),
                "--profile monitoring", "prometheusRule.enabled", "grafanaDashboard.enabled");
        assertThat(new HashSet<>(documented)).as("alerts OPERATIONS.md names").isEqualTo(new HashSet<>(defined));
    }

    /** The extraction the exported-metrics test relies on: metrics only, whatever PromQL surrounds them. */
    @Test
    void metricNamesAreTheSeriesAnExpressionReadsNotItsFunctionsLabelsOrKeywords() {
        assertThat(MonitoringFiles.metricNames("histogram_quantile(0.99, sum by (job, le) (rate("
                + "pbft_commit_latency_seconds_bucket{job=~\"$job\", replica=~\"$replica\"}[$__rate_interval]))) > 1"))
                .containsExactly("pbft_commit_latency_seconds_bucket");
        assertThat(MonitoringFiles.metricNames("count((up{job=~\".*pbft-ledger.*\"} == 0) or on(instance) "
                + "(pbft_consensus_failed == 1)) > floor((count(up) - 1) / 3)"))
                .containsExactly("pbft_consensus_failed", "up");
        assertThat(MonitoringFiles.metricNames("pbft_view < ignoring(instance, replica, pod) group_left "
                + "max without(instance, replica, pod) (pbft_view)")).containsExactly("pbft_view");
        assertThat(MonitoringFiles.metricNames("deriv((max without(instance) (a_total) - ignoring(instance) group_right "
                + "b_seconds)[10m:1m]) > 0 and on(instance) c offset 5m unless d")).containsExactly("a_total", "b_seconds", "c", "d");
        assertThat(MonitoringFiles.metricNames("sum by (replica) (jvm_memory_max_bytes{area=\"heap\"} > 0) / 1e3"))
                .containsExactly("jvm_memory_max_bytes");
    }

    @Test
    void exportedNamesAreTheSamplesOfAScrapeAndTheSeriesOfItsHistograms() {
        String scrape = """
                # HELP pbft_view The view
                # TYPE pbft_view gauge
                pbft_view{application="pbft-ledger",replica="0"} 0.0
                # TYPE pbft_commit_latency_seconds histogram
                pbft_commit_latency_seconds_max{replica="0"} 0.0
                pbft_up_total 1
                """;

        assertThat(MonitoringFiles.exportedNames(scrape)).containsExactlyInAnyOrder("pbft_view",
                "pbft_commit_latency_seconds_max", "pbft_commit_latency_seconds_bucket", "pbft_commit_latency_seconds_count",
                "pbft_commit_latency_seconds_sum", "pbft_up_total");
    }

    @Test
    void theComposePrometheusScrapesTheManagementPortAndLoadsTheRulesAndGrafanaIsProvisioned() {
        Map<String, Object> config = Yamls.load(MonitoringFiles.read(MonitoringFiles.PROMETHEUS_CONFIG));
        assertThat(listAt(config, "rule_files")).containsExactly("/etc/prometheus/rules/pbft-ledger-rules.yml");
        Map<String, Object> job = asMap(listAt(config, "scrape_configs").get(0));
        assertThat(job).containsEntry("job_name", "pbft-ledger").containsEntry("metrics_path", "/actuator/prometheus");
        assertThat(listAt(asMap(listAt(job, "static_configs").get(0)), "targets"))
                .containsExactly("replica-0:9090", "replica-1:9090", "replica-2:9090", "replica-3:9090");

        Map<String, Object> datasource = asMap(listAt(Yamls.load(MonitoringFiles.read(
                MonitoringFiles.GRAFANA_PROVISIONING.resolve("datasources/prometheus.yml"))), "datasources").get(0));
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        Map<String, Object> provider = asMap(listAt(Yamls.load(MonitoringFiles.read(
                MonitoringFiles.GRAFANA_PROVISIONING.resolve("dashboards/pbft-ledger.yml"))), "providers").get(0));
        assertThat(provider).containsEntry("type", "file");
        assertThat(mapAt(provider, "options")).containsEntry("path", "/var/lib/grafana/dashboards");
    }

    /** The series selectors of an expression: metric names with their label matchers. */
    private static List<String> selectors(String expr) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}").matcher(expr);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
