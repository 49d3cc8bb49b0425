package io.pbftledger.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard and the Prometheus alerting rules, kept once in the Helm chart (which reads
 * them with .Files) and mounted from there by the docker-compose profile "monitoring"; and the metric
 * names their PromQL uses.
 */
final class MonitoringFiles {
    static final Path DASHBOARD = ChartFixture.CHART.resolve("files/grafana/pbft-ledger.json");
    static final Path RULES = ChartFixture.CHART.resolve("files/prometheus/pbft-ledger-rules.yml");
    /** The compose profile's Prometheus configuration and Grafana provisioning. */
    static final Path PROMETHEUS_CONFIG = Path.of("docker/prometheus/prometheus.yml");
    static final Path GRAFANA_PROVISIONING = Path.of("docker/grafana/provisioning");

    /** The rule group whose expressions read only what the replicas export (and Prometheus' own {@code up}). */
    static final String REPLICA_GROUP = "pbft-ledger";
    /** The rule group over other exporters' metrics: disk, clock, container restarts. */
    static final String HOST_GROUP = "pbft-ledger-host";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Words of PromQL that are neither metrics nor followed by a parenthesis when used. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    /** Grafana's variables: $__rate_interval, $job, ${datasource}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");

    private MonitoringFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode dashboard() {
        return JSON.readTree(read(DASHBOARD));
    }

    /** Every panel's PromQL expressions, by "panel title / refId". */
    static Map<String, String> dashboardExpressions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode panel : dashboard().get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.put(panel.path("title").asString() + " / " + target.path("refId").asString(), target.path("expr").asString());
            }
        }
        return out;
    }

    /** The series selectors of the dashboard's query variables: label_values(selector, label). */
    static List<String> variableSelectors() {
        List<String> out = new ArrayList<>();
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            if ("query".equals(variable.path("type").asString())) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asString() : query.asString();
                Matcher m = labelValues.matcher(text);
                if (!m.matches()) {
                    throw new AssertionError("variable " + variable.path("name") + " is not label_values(selector, label): " + text);
                }
                out.add(m.group(1));
            }
        }
        return out;
    }

    static Map<String, Object> rules() {
        return Yamls.load(read(RULES));
    }

    /** The rules of one group, each a map with alert, expr, for, labels, annotations. */
    static List<Map<String, Object>> rulesOf(String group) {
        for (Object g : Yamls.listAt(rules(), "groups")) {
            if (group.equals(Yamls.asMap(g).get("name"))) {
                return Yamls.listAt(Yamls.asMap(g), "rules").stream().map(Yamls::asMap).toList();
            }
        }
        throw new AssertionError("no rule group " + group + " in " + RULES);
    }

    /** The regular expressions the rules match the job label with, as PromQL anchors them. */
    static Set<String> jobMatchers() {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("job=~\"([^\"]*)\"").matcher(read(RULES));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * The metric names an expression reads: identifiers left once strings, Grafana variables, label
     * matchers, ranges and the label lists of by/without/on/ignoring/group_* are gone, except
     * functions and aggregations (followed by a parenthesis, possibly after a by/without clause) and
     * PromQL's keywords.
     */
    static Set<String> metricNames(String promql) {
        String s = STRING.matcher(promql).replaceAll("\"\"");
        s = VARIABLE.matcher(s).replaceAll("");
        s = LABEL_MATCHERS.matcher(s).replaceAll("");
        s = RANGE.matcher(s).replaceAll("");
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            String rest = s.substring(m.end()).stripLeading();
            if (KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT)) || rest.startsWith("(")) {
                continue;
            }
            out.add(name);
        }
        return out;
    }

    /**
     * The metric names a scrape in the Prometheus text format holds: every sample's name, and for each
     * histogram or summary its _bucket, _count and _sum series (which a meter without observations
     * may leave out).
     */
    static Set<String> exportedNames(String scrape) {
        Set<String> out = new TreeSet<>();
        Pattern type = Pattern.compile("# TYPE (\\S+) (histogram|summary)");
        for (String line : scrape.split("\n")) {
            Matcher typed = type.matcher(line);
            if (typed.lookingAt()) {
                for (String suffix : List.of("_bucket", "_count", "_sum")) {
                    out.add(typed.group(1) + suffix);
                }
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                out.add(line.substring(0, end));
            }
        }
        return out;
    }
}
