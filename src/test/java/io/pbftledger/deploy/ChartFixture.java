package io.pbftledger.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.pbftledger.cli.PbftLedgerCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * Renders and lints helm/pbft-ledger with value sets built from real keygen output. Helm runs
 * in-process (helm-java bundles it), so no helm binary and no cluster are needed.
 */
final class ChartFixture {
    static final Path CHART = Path.of("helm/pbft-ledger");
    static final String RELEASE = "prod";
    static final String NAMESPACE = "ledger";
    static final String FULLNAME = "prod-pbft-ledger";
    static final String HEADLESS = FULLNAME + "-headless";

    /** The URL template a TLS release needs from keygen, so each replica's certificate names its pod. */
    static final String POD_URL_TEMPLATE = "https://" + FULLNAME + "-{i}-0." + HEADLESS + "." + NAMESPACE + ".svc.cluster.local:8080";

    static final String HOOK_KEY_IN_COPY = "test.pbftledger.io/helm-hook";

    private final Path workDir;

    ChartFixture(Path workDir) {
        this.workDir = workDir;
    }

    GeneratedKeys keys(int replicas) {
        // any template: the chart replaces the URLs with the pods' DNS names
        return GeneratedKeys.generate(workDir.resolve("keys-" + replicas), replicas, 2, "http://replica-{i}:8080", "pbft-helm-test");
    }

    /** keygen --tls output for this release: certificates naming the pods' DNS names. */
    GeneratedKeys tlsKeys(int replicas) {
        return GeneratedKeys.generateTls(workDir.resolve("tls-keys-" + replicas), replicas, 2, POD_URL_TEMPLATE, "pbft-helm-test");
    }

    /**
     * The key file {@code keygen --join --id <id>} writes for a replica that joins the cluster of {@code keys}
     * (at this release's URL for it), or that takes a new key for id {@code id} (rotate-key).
     */
    String joinKey(GeneratedKeys keys, int id) {
        Path out = workDir.resolve("join-" + id + "-" + System.nanoTime());
        CommandLine cli = PbftLedgerCli.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("keygen", "--join", "--id", Integer.toString(id), "--url", peerUrls("http", id + 1).get(id),
                "--membership", keys.membership().toString(), "--out", out.toString());
        if (exit != 0) {
            throw new IllegalStateException("keygen --join exited with " + exit + ": " + err);
        }
        return read(out.resolve("replicas").resolve("replica-" + id + ".key"));
    }

    /** {@link #baseValues} plus TLS from keygen --tls's files, inline: the CA and each replica's certificate and key. */
    static Map<String, Object> tlsValues(GeneratedKeys keys) {
        List<String> certificates = new java.util.ArrayList<>();
        List<String> tlsKeys = new java.util.ArrayList<>();
        for (int i = 0; i < keys.replicas(); i++) {
            certificates.add(keys.read(keys.tlsCertificate(i)));
            tlsKeys.add(keys.read(keys.tlsKey(i)));
        }
        return with(baseValues(keys), "tls", Map.of("enabled", true, "ca", keys.read(keys.tlsCa()),
                "files", Map.of("certificates", certificates, "keys", tlsKeys)));
    }

    /** Values that every set shares: the membership, and the replica and test-client keys inline. */
    static Map<String, Object> baseValues(GeneratedKeys keys) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("replicaCount", keys.replicas());
        values.put("membership", Map.of("file", keys.read(keys.membership())));
        values.put("replicaKeys", Map.of("files", keys.replicaKeyFiles()));
        values.put("tests", Map.of("client", Map.of("file", keys.read(keys.clientKey(0)))));
        return values;
    }

    Manifests render(Map<String, Object> values) {
        String rendered = new Helm(CHART).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withValuesFile(valuesFile(values))
                .call();
        return Manifests.parse(rendered);
    }

    /**
     * Renders the {@code helm test} hooks, which helm-java's template leaves out: a copy of the chart
     * renames the hook annotation key to {@link #HOOK_KEY_IN_COPY}, so Helm treats them as manifests.
     */
    Manifests renderTestHooks(Map<String, Object> values) {
        Path copy = workDir.resolve("hooks-" + System.nanoTime()).resolve("pbft-ledger");
        copyTree(CHART, copy);
        try (Stream<Path> files = Files.list(copy.resolve("templates").resolve("tests"))) {
            for (Path file : files.toList()) {
                write(file, read(file).replace("\"helm.sh/hook\"", "\"" + HOOK_KEY_IN_COPY + "\""));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the test hooks", e);
        }
        String rendered = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(valuesFile(values)).call();
        return Manifests.parse(rendered);
    }

    /**
     * NOTES.txt as {@code helm install} would print it for these values: a copy of the chart gets a
     * ConfigMap template that includes NOTES.txt, which helm-java's template otherwise leaves out.
     */
    String renderNotes(Map<String, Object> values) {
        Path copy = workDir.resolve("notes-" + System.nanoTime()).resolve("pbft-ledger");
        copyTree(CHART, copy);
        write(copy.resolve("templates").resolve("zz-notes-copy.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: notes-copy
                data:
                  notes: |
                {{ include "pbft-ledger/templates/NOTES.txt" . | indent 4 }}
                """);
        String rendered = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(valuesFile(values)).call();
        return (String) Yamls.at(Manifests.parse(rendered).named("ConfigMap", "notes-copy").orElseThrow(), "data", "notes");
    }

    /**
     * {@code helm lint --strict} of the chart with these values. helm-java's lint takes no values
     * file, so the chart is copied and its values.yaml merged with the set first.
     */
    LintResult lint(Map<String, Object> values) {
        Path copy = workDir.resolve("chart-" + System.nanoTime()).resolve("pbft-ledger");
        copyTree(CHART, copy);
        Map<String, Object> merged = deepMerge(Yamls.load(read(CHART.resolve("values.yaml"))), values);
        write(copy.resolve("values.yaml"), dump(merged));
        return new Helm(copy).lint().strict().call();
    }

    private Path valuesFile(Map<String, Object> values) {
        Path file = workDir.resolve("values-" + System.nanoTime() + ".yaml");
        write(file, dump(values));
        return file;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        overrides.forEach((key, value) -> {
            Object existing = out.get(key);
            if (existing instanceof Map<?, ?> a && value instanceof Map<?, ?> b) {
                out.put(key, deepMerge((Map<String, Object>) a, (Map<String, Object>) b));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        return deepMerge(base, Map.of(key, value));
    }

    private static String dump(Map<String, Object> values) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(values);
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths.sorted()::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + from + " to " + to, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    static List<String> peerUrls(String scheme, int replicas) {
        return java.util.stream.IntStream.range(0, replicas)
                .mapToObj(i -> scheme + "://" + FULLNAME + "-" + i + "-0." + HEADLESS + "." + NAMESPACE + ".svc.cluster.local:8080")
                .toList();
    }
}
