package io.pbftledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.cli.OneReplica;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the dashboard and the alerting rules read is one a replica exports from its start, before
 * any block, view change or dropped message: a replica in-process (replica 0 of four whose peers never
 * start) is scraped once at /actuator/prometheus. Only Prometheus' own {@code up} and, in the rule group
 * {@value MonitoringFiles#HOST_GROUP}, the metrics of the exporters listed here come from elsewhere.
 */
@Timeout(180)
class MonitoringMetricsExportedTest {
    /** Metrics of the host rule group, by the exporter that has them. */
    private static final Map<String, String> OTHER_EXPORTERS = Map.of(
            "kubelet_volume_stats_available_bytes", "kubelet",
            "kubelet_volume_stats_capacity_bytes", "kubelet",
            "node_filesystem_avail_bytes", "node exporter",
            "node_filesystem_size_bytes", "node exporter",
            "node_timex_offset_seconds", "node exporter",
            "node_timex_sync_status", "node exporter",
            "kube_pod_container_status_restarts_total", "kube-state-metrics");
    /** Prometheus' own series of every scrape target. */
    private static final String UP = "up";

    @TempDir
    static Path dir;
    private static OneReplica replica;
    private static Set<String> exported;

    @BeforeAll
    static void scrapeAReplica() throws Exception {
        replica = OneReplica.start(dir);
        OneReplica.Raw scrape = replica.send("GET", "/actuator/prometheus", null);
        assertThat(scrape.status()).as(scrape.head()).isEqualTo(200);
        exported = MonitoringFiles.exportedNames(scrape.body());
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void theScrapeIsTheReplicasOwn() {
        assertThat(exported).contains("pbft_view", "pbft_blocks_committed_total", "jvm_memory_used_bytes")
                .doesNotContain(UP).doesNotContainAnyElementsOf(OTHER_EXPORTERS.keySet());
    }

    @Test
    void everyMetricOfTheDashboardIsExportedByAReplica() {
        Map<String, Set<String>> missing = new TreeMap<>();
        MonitoringFiles.dashboardExpressions().forEach((where, expr) -> {
            Set<String> names = new TreeSet<>(MonitoringFiles.metricNames(expr));
            names.removeAll(exported);
            if (!names.isEmpty()) {
                missing.put(where, names);
            }
        });
        for (String selector : MonitoringFiles.variableSelectors()) {
            Set<String> names = new TreeSet<>(MonitoringFiles.metricNames(selector));
            assertThat(names).as("variable query %s", selector).isNotEmpty();
            names.removeAll(exported);
            if (!names.isEmpty()) {
                missing.put("variable " + selector, names);
            }
        }

        assertThat(missing).as("dashboard queries of metrics no replica exports").isEmpty();
    }

    @Test
    void everyMetricOfTheReplicaRulesIsExportedByAReplicaOrIsUp() {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        boolean usesUp = false;
        for (Map<String, Object> rule : MonitoringFiles.rulesOf(MonitoringFiles.REPLICA_GROUP)) {
            Set<String> names = new TreeSet<>(MonitoringFiles.metricNames(String.valueOf(rule.get("expr"))));
            assertThat(names).as("metrics of %s", rule.get("alert")).isNotEmpty();
            usesUp |= names.remove(UP);
            names.removeAll(exported);
            if (!names.isEmpty()) {
                missing.put(rule.get("alert") + ": " + rule.get("expr"), names);
            }
        }

        assertThat(missing).as("rules over metrics no replica exports").isEmpty();
        assertThat(usesUp).as("some rule notices a replica Prometheus cannot scrape").isTrue();
    }

    @Test
    void theHostRulesReadOnlyTheMetricsOfTheListedExportersAndUseThemAll() {
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> rule : MonitoringFiles.rulesOf(MonitoringFiles.HOST_GROUP)) {
            Set<String> names = MonitoringFiles.metricNames(String.valueOf(rule.get("expr")));
            assertThat(names).as("metrics of %s", rule.get("alert")).isNotEmpty();
            used.addAll(names);
        }

        assertThat(used).isEqualTo(OTHER_EXPORTERS.keySet().stream().collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }
}
