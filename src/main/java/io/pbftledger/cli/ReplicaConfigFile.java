package io.pbftledger.cli;

import io.pbftledger.config.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes {@code replicas/replica-<i>.yml}, the Spring properties of one replica. Paths in it are
 * relative to the file's directory; the {@code node} command resolves them. The file is written
 * whole, durably ({@link DurableFiles}), like the key files: after a crash it holds all its settings
 * (TLS included) or is absent, never a part of them.
 */
final class ReplicaConfigFile {
    private ReplicaConfigFile() {
    }

    static String text(int replicaId, int port) {
        return text(replicaId, port, 0);
    }

    /**
     * As {@link #text(int, int)}; with a checkpoint interval K > 0 (the membership file fixes it) also
     * {@code ledger.checkpoint-interval: K} and a watermark window of 2K, so the replica matches the file.
     */
    static String text(int replicaId, int port, long checkpointInterval) {
        return "# pbft-ledger replica " + replicaId + ": start with  pbft-ledger node --config <this file>\n"
                + "# Relative paths are resolved against the directory of this file.\n"
                + "server:\n"
                + "  port: " + port + "\n"
                + "ledger:\n"
                + "  replica-id: " + replicaId + "\n"
                + "  membership-file: ../membership.yml\n"
                + "  key-file: replica-" + replicaId + ".key\n"
                + "  data-dir: ../data/replica-" + replicaId + "\n"
                + (checkpointInterval > 0 ? "  # membership.yml fixes checkpointInterval (part of the genesis): keep these equal to it\n"
                        + "  checkpoint-interval: " + checkpointInterval + "\n"
                        + "  watermark-window: " + 2 * checkpointInterval + "\n" : "");
    }

    /** Writes {@code text} (from {@link #text}, with any settings appended) as the file. */
    static void write(Path file, String text) {
        try {
            DurableFiles.DISK.write(file, text.getBytes(StandardCharsets.UTF_8), DurableFiles.READABLE);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e, e);
        }
    }
}
