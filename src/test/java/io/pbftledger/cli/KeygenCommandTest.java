package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class KeygenCommandTest {
    @TempDir
    Path dir;

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void writesAMembershipWhoseKeysMatchTheKeyFiles() {
        CliRun run = CliRun.of("keygen", "--replicas", "4", "--clients", "2", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Membership m = MembershipFile.load(dir.resolve("membership.yml"));
        assertThat(m.chainId()).matches("pbft-[0-9a-f]{12}");
        assertThat(m.n()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            KeyFiles.ReplicaKey key = KeyFiles.loadReplicaKey(dir.resolve("replicas/replica-" + i + ".key"));
            assertThat(key.replicaId()).isEqualTo(i);
            assertThat(key.publicKey()).isEqualTo(m.replica(i).publicKey());
            assertThat(m.replica(i).url()).isEqualTo("http://127.0.0.1:" + (8080 + i));
        }
        for (int j = 0; j < 2; j++) {
            ClientIdentity identity = KeyFiles.loadClientIdentity(dir.resolve("clients/client-" + j + ".key"));
            assertThat(identity.chainId()).isEqualTo(m.chainId());
            assertThat(m.client("client-" + j)).get().extracting(Membership.Client::publicKey).isEqualTo(identity.privateKey().publicKey());
        }
        assertThat(m.client("client-0")).get().extracting(Membership.Client::roles).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.collection(Role.class)).containsExactly(Role.SUBMIT, Role.READ, Role.ADMIN);
        assertThat(m.client("client-1")).get().extracting(Membership.Client::roles).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.collection(Role.class)).containsExactly(Role.SUBMIT, Role.READ);
        assertThat(run.out()).contains(m.chainId(), "replica-3.key");
    }

    @Test
    void replicaYmlFilesHoldTheSpringPropertiesWithPathsRelativeToThemselves() {
        CliRun.of("keygen", "--base-port", "9100", "--host", "10.0.0.5", "--out", dir.toString());

        for (int i = 0; i < 4; i++) {
            Path yml = dir.resolve("replicas/replica-" + i + ".yml");
            JsonNode props = new YAMLMapper().readTree(yml.toFile());
            Path base = yml.getParent();
            assertThat(props.at("/server/port").asInt()).isEqualTo(9100 + i);
            assertThat(props.at("/ledger/replica-id").asInt()).isEqualTo(i);
            assertThat(base.resolve(props.at("/ledger/membership-file").asString()).normalize()).isEqualTo(dir.resolve("membership.yml"));
            assertThat(base.resolve(props.at("/ledger/key-file").asString()).normalize()).isEqualTo(dir.resolve("replicas/replica-" + i + ".key"));
            assertThat(base.resolve(props.at("/ledger/data-dir").asString()).normalize()).isEqualTo(dir.resolve("data/replica-" + i));
        }
        assertThat(MembershipFile.load(dir.resolve("membership.yml")).replica(3).url()).isEqualTo("http://10.0.0.5:9103");
    }

    @Test
    void keyFilesAreReadableOnlyByTheOwner() throws IOException {
        CliRun.of("keygen", "--clients", "1", "--out", dir.toString());

        assertThat(mode(dir.resolve("replicas/replica-0.key"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("replicas/replica-3.key"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("clients/client-0.key"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("membership.yml"))).isEqualTo("rw-r--r--");
    }

    @Test
    void urlTemplateNamesEachReplicaAndSetsItsPort() throws IOException {
        CliRun run = CliRun.of("keygen", "--replicas", "7", "--url-template", "http://ledger-{i}.ledger:8090", "--chain-id", "prod-1",
                "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Membership m = MembershipFile.load(dir.resolve("membership.yml"));
        assertThat(m.chainId()).isEqualTo("prod-1");
        assertThat(m.replicas()).extracting(Membership.Replica::url).containsExactly(
                "http://ledger-0.ledger:8090", "http://ledger-1.ledger:8090", "http://ledger-2.ledger:8090", "http://ledger-3.ledger:8090",
                "http://ledger-4.ledger:8090", "http://ledger-5.ledger:8090", "http://ledger-6.ledger:8090");
        assertThat(Files.readString(dir.resolve("replicas/replica-6.yml"))).contains("port: 8090", "replica-id: 6");
    }

    @Test
    void refusesToOverwriteWithoutForceAndReplacesKeysWithIt() {
        CliRun.of("keygen", "--out", dir.toString());
        Membership first = MembershipFile.load(dir.resolve("membership.yml"));

        CliRun refused = CliRun.of("keygen", "--out", dir.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errLines()).singleElement().asString().contains("already exists; pass --force");
        assertThat(MembershipFile.load(dir.resolve("membership.yml"))).isEqualTo(first);

        CliRun forced = CliRun.of("keygen", "--force", "--out", dir.toString());
        assertThat(forced.exitCode()).isZero();
        Membership second = MembershipFile.load(dir.resolve("membership.yml"));
        assertThat(second.replica(0).publicKey()).isNotEqualTo(first.replica(0).publicKey());
        assertThat(KeyFiles.loadReplicaKey(dir.resolve("replicas/replica-0.key")).publicKey()).isEqualTo(second.replica(0).publicKey());
    }

    /**
     * Every file keygen writes takes its place by an atomic rename of a synced temporary file
     * (DurableFiles), the replica yml files too: a file replaced with --force is a new file, so whoever
     * holds the old one (here a hard link, as a reader that opened it) sees the old content whole,
     * never a truncated or half-rewritten one, and no temporary file is left behind.
     */
    @Test
    void everyFileIsReplacedByAnAtomicRenameNotRewrittenInPlace() throws IOException {
        CliRun.of("keygen", "--tls", "--clients", "1", "--out", dir.toString());
        java.util.List<Path> written;
        try (var files = Files.walk(dir)) {
            written = files.filter(Files::isRegularFile).toList();
        }
        assertThat(written).extracting(p -> p.getFileName().toString())
                .contains("replica-0.yml", "replica-3.yml", "replica-0.key", "membership.yml", "ca.crt", "client-0.p12");
        Path links = Files.createDirectories(dir.getParent().resolve(dir.getFileName() + "-links"));
        java.util.Map<Path, byte[]> before = new java.util.LinkedHashMap<>();
        for (Path file : written) {
            Path link = Files.createLink(links.resolve(dir.relativize(file).toString().replace('/', '_')), file);
            before.put(file, Files.readAllBytes(link));
        }

        CliRun forced = CliRun.of("keygen", "--tls", "--force", "--clients", "1", "--out", dir.toString());

        assertThat(forced.exitCode()).as(forced.err()).isZero();
        for (Path file : written) {
            Path link = links.resolve(dir.relativize(file).toString().replace('/', '_'));
            assertThat(Files.isSameFile(link, file)).as("%s is a new file, not the old one rewritten", dir.relativize(file))
                    .isFalse();
            assertThat(Files.readAllBytes(link)).as("the old %s, whole", dir.relativize(file)).isEqualTo(before.get(file));
        }
        String yml = Files.readString(dir.resolve("replicas/replica-2.yml"));
        assertThat(yml).contains("replica-id: 2", "server.ssl.bundle: ledger", "ledger.tls.enabled: true");
        assertThat(mode(dir.resolve("replicas/replica-2.yml"))).isEqualTo("rw-r--r--");
        assertNoTemporaryFiles();
    }

    @Test
    void aFileThatCannotTakeItsPlaceLeavesNoTemporaryFileAndNoMembership() throws IOException {
        // a directory where replica 1's yml goes: the rename over it fails
        Files.createDirectories(dir.resolve("replicas/replica-1.yml/in-the-way"));

        CliRun run = CliRun.of("keygen", "--force", "--out", dir.toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.errLines()).singleElement().asString().contains("cannot write", "replica-1.yml");
        assertThat(dir.resolve("membership.yml")).as("written last, it marks a complete set of files").doesNotExist();
        assertThat(dir.resolve("replicas/replica-1.yml/in-the-way")).isDirectory();
        assertNoTemporaryFiles();
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (var files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".tmp-"));
        }
    }

    @Test
    void checkpointIntervalIsFixedInTheMembershipAndEveryReplicaConfigurationFollowsIt() {
        CliRun run = CliRun.of("keygen", "--checkpoint-interval", "25", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(MembershipFile.load(dir.resolve("membership.yml")).checkpointInterval()).isEqualTo(25);
        for (int i = 0; i < 4; i++) {
            JsonNode props = new YAMLMapper().readTree(dir.resolve("replicas/replica-" + i + ".yml").toFile());
            assertThat(props.at("/ledger/checkpoint-interval").asLong()).isEqualTo(25);
            assertThat(props.at("/ledger/watermark-window").asLong()).isEqualTo(50);
        }
        CliRun bad = CliRun.of("keygen", "--checkpoint-interval", "0", "--out", dir.resolve("other").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("pbft-ledger keygen: --checkpoint-interval must be between 1 and 1000000, got 0");
    }

    @Test
    void rejectsFewerThanFourReplicas() {
        CliRun run = CliRun.of("keygen", "--replicas", "3", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("pbft-ledger keygen: --replicas must be between 4 and 100, got 3");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void rejectsUrlTemplateTogetherWithHost() {
        CliRun run = CliRun.of("keygen", "--url-template", "http://n{i}:1", "--host", "h", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("--url-template replaces --host and --base-port");
    }

    @Test
    void rejectsATemplateWithoutThePlaceholder() {
        CliRun run = CliRun.of("keygen", "--url-template", "http://node:8080", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("must contain {i}");
    }

    @Test
    void rejectsAnInvalidChainId() {
        CliRun run = CliRun.of("keygen", "--chain-id", "has space", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("--chain-id 'has space' must match");
    }
}
