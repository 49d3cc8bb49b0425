package io.pbftledger.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code replicas/replica-<i>.yml}, the Spring properties of one replica. Paths in it are
 * relative to the file's directory; the {@code node} command resolves them.
 */
final class ReplicaConfigFile {
    private ReplicaConfigFile() {
    }

    static String text(int replicaId, int port) {
        return "# pbft-ledger replica " + replicaId + ": start with  pbft-ledger node --config <this file>\n"
                + "# Relative paths are resolved against the directory of this file.\n"
                + "server:\n"
                + "  port: " + port + "\n"
                + "ledger:\n"
                + "  replica-id: " + replicaId + "\n"
                + "  membership-file: ../membership.yml\n"
                + "  key-file: replica-" + replicaId + ".key\n"
                + "  data-dir: ../data/replica-" + replicaId + "\n";
    }

    static void write(Path file, int replicaId, int port) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text(replicaId, port), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e, e);
        }
    }
}
