package io.pbftledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.testing.DeploymentTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/keygen-once.sh, run by sh on real keygen output: each replica's key volume receives that
 * replica's key, config and the membership, and nothing of any other replica or client.
 */
@DeploymentTest
class ComposeKeygenScriptTest {
    private static final Path SCRIPT = Path.of("docker/keygen-once.sh");
    private static final int REPLICAS = 4;

    @TempDir
    Path work;

    @Test
    void eachReplicaDirectoryReceivesOnlyThatReplicasFilesOwnerOnly() throws Exception {
        GeneratedKeys keys = GeneratedKeys.generate(work.resolve("keys"), REPLICAS, 2, "http://replica-{i}:8080", "pbft-compose-test");
        Path split = work.resolve("replica-keys");
        for (int i = 0; i < REPLICAS; i++) {
            Files.createDirectories(split.resolve("replica-" + i));
        }

        Result result = run(keys.dir(), split);

        assertThat(result.exitCode()).as("keygen-once.sh: %s", result.output()).isZero();
        assertThat(result.output()).contains("keeping the existing keys");
        for (int i = 0; i < REPLICAS; i++) {
            Path dir = split.resolve("replica-" + i);
            assertThat(files(dir)).as("files in replica %d's key volume", i)
                    .containsExactlyInAnyOrder("membership.yml", "replicas/replica-" + i + ".key", "replicas/replica-" + i + ".yml");
            assertThat(Files.readString(dir.resolve("replicas/replica-" + i + ".key"))).isEqualTo(keys.read(keys.replicaKey(i)));
            assertThat(Files.readString(dir.resolve("replicas/replica-" + i + ".yml"))).isEqualTo(keys.read(keys.replicaConfig(i)));
            assertThat(Files.readString(dir.resolve("membership.yml"))).isEqualTo(keys.read(keys.membership()));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("replicas/replica-" + i + ".key"))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        }
    }

    @Test
    void aReplicaKeyVolumeThatIsNotMountedStopsTheScript() throws Exception {
        GeneratedKeys keys = GeneratedKeys.generate(work.resolve("keys"), REPLICAS, 1, "http://replica-{i}:8080", "pbft-compose-test");
        Path split = work.resolve("replica-keys");
        for (int i = 0; i < REPLICAS - 1; i++) {
            Files.createDirectories(split.resolve("replica-" + i));
        }

        Result result = run(keys.dir(), split);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains(split.resolve("replica-3") + " is missing: mount replica 3's key volume there");
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(Path keysDir, Path split) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("KEYGEN_OUT", keysDir.toString());
        env.put("KEYGEN_REPLICAS", Integer.toString(REPLICAS));
        env.put("KEYGEN_SPLIT_DIR", split.toString());
        // the test's own user: chown to it needs no privileges
        env.put("KEYGEN_OWNER", Files.getAttribute(work, "unix:uid") + ":" + Files.getAttribute(work, "unix:gid"));
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keygen-once.sh finished").isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
        }
    }
}
