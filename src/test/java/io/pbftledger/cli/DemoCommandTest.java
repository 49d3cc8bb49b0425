package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void keysAreGeneratedOnTheFirstStartAndReusedAfter() {
        Path keys = dir.resolve("keys");
        List<String> urls = ReplicaUrls.fromHost("127.0.0.1", 8080, 4);

        DemoKeys.Prepared first = DemoKeys.prepare(keys, urls, 2);
        DemoKeys.Prepared second = DemoKeys.prepare(keys, urls, 2);

        assertThat(first.reused()).isFalse();
        assertThat(first.membership().chainId()).startsWith("pbft-demo-");
        assertThat(second.reused()).isTrue();
        assertThat(second.membership()).isEqualTo(first.membership());
    }

    @Test
    void existingKeysForOtherReplicasAreNotSilentlyUsed() {
        Path keys = dir.resolve("keys");
        DemoKeys.prepare(keys, ReplicaUrls.fromHost("127.0.0.1", 8080, 4), 2);

        assertThatThrownBy(() -> DemoKeys.prepare(keys, ReplicaUrls.fromHost("127.0.0.1", 9000, 4), 2))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("pass the --replicas/--base-port it was made with");
    }

    @Test
    void eachReplicaRunsInDemoModeWithItsOwnDataDirectory() {
        Path keys = dir.resolve("keys");

        assertThat(DemoCommand.nodeArgs(keys, dir, 2)).containsExactly("node",
                "--config", keys.resolve("replicas/replica-2.yml").toString(),
                "--server.address=127.0.0.1",
                "--ledger.demo.enabled=true",
                "--ledger.demo.identities-dir=" + keys.resolve("clients"),
                "--ledger.data-dir=" + dir.resolve("replica-2"),
                "--spring.main.banner-mode=off");
    }

    @Test
    void childrenRunTheSameClassPathWhenStartedFromClasses() {
        List<String> command = ChildJvm.command("/jdk", "/a/classes:/b/x.jar", List.of("-Xmx1g"), List.of("node"));

        assertThat(command).containsExactly("/jdk/bin/java", "-Xmx1g", "-cp", "/a/classes:/b/x.jar", "io.pbftledger.cli.PbftLedgerCli", "node");
    }

    @Test
    void childrenRunTheExecutableJarWhenStartedFromIt() throws IOException {
        Path jar = dir.resolve("pbft-ledger.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Start-Class", "io.pbftledger.cli.PbftLedgerCli");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // an empty executable jar is enough to be recognized
        }

        List<String> command = ChildJvm.command("/jdk", jar.toString(), List.of(), List.of("node", "--config", "x.yml"));

        assertThat(command).containsExactly("/jdk/bin/java", "-jar", jar.toString(), "node", "--config", "x.yml");
    }

    @Test
    void aDemoOnABusyPortStopsBeforeStartingAnything() throws IOException {
        try (java.net.ServerSocket busy = new java.net.ServerSocket()) {
            busy.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            CliRun run = CliRun.of("demo", "--base-port", Integer.toString(busy.getLocalPort()), "--data-dir", dir.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.errLines()).containsExactly("pbft-ledger demo: port " + busy.getLocalPort()
                    + " (replica 0) is in use; stop what uses it or pass another --base-port");
        }
    }
}
