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
        CommandLine cli = PbftLedgerCli.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("keygen", "--replicas", Integer.toString(replicas), "--clients", Integer.toString(clients),
                "--url-template", urlTemplate, "--chain-id", chainId, "--out", dir.toString());
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
