package io.pbftledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.cli.PbftLedgerCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Output of the real {@code keygen} command, run in-process into a directory. */
record GeneratedKeys(Path dir, int replicas, int clients) {

    static GeneratedKeys generate(Path dir, int replicas, int clients, String urlTemplate, String chainId) {
        return run(dir, replicas, clients, urlTemplate, chainId, false);
    }

    /** {@code keygen --tls}: also the cluster CA and a certificate per replica and client under {@code tls/}. */
    static GeneratedKeys generateTls(Path dir, int replicas, int clients, String urlTemplate, String chainId) {
        return run(dir, replicas, clients, urlTemplate, chainId, true);
    }

    private static GeneratedKeys run(Path dir, int replicas, int clients, String urlTemplate, String chainId, boolean tls) {
        CommandLine cli = PbftLedgerCli.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("keygen", "--replicas", Integer.toString(replicas),
                "--clients", Integer.toString(clients), "--url-template", urlTemplate, "--chain-id", chainId, "--out", dir.toString()));
        if (tls) {
            args.add("--tls");
        }
        int exit = cli.execute(args.toArray(String[]::new));
        assertThat(exit).as("keygen exit code; stderr: %s", err).isZero();
        return new GeneratedKeys(dir, replicas, clients);
    }

    Path membership() {
        return dir.resolve("membership.yml");
    }

    Path replicaKey(int i) {
        return dir.resolve("replicas").resolve("replica-" + i + ".key");
    }

    Path replicaConfig(int i) {
        return dir.resolve("replicas").resolve("replica-" + i + ".yml");
    }

    Path tlsCa() {
        return dir.resolve("tls").resolve("ca.crt");
    }

    Path tlsCertificate(int i) {
        return dir.resolve("tls").resolve("replica-" + i + ".crt");
    }

    Path tlsKey(int i) {
        return dir.resolve("tls").resolve("replica-" + i + ".key");
    }

    Path clientKey(int j) {
        return dir.resolve("clients").resolve("client-" + j + ".key");
    }

    String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    List<String> replicaKeyFiles() {
        List<String> files = new ArrayList<>(replicas);
        for (int i = 0; i < replicas; i++) {
            files.add(read(replicaKey(i)));
        }
        return files;
    }
}
