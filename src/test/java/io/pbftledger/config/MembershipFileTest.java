package io.pbftledger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipFileTest {
    @TempDir
    Path dir;

    private final String k0 = ConfigFixtures.key(1).publicKey().toBase64();
    private final String k1 = ConfigFixtures.key(2).publicKey().toBase64();
    private final String k2 = ConfigFixtures.key(3).publicKey().toBase64();
    private final String k3 = ConfigFixtures.key(4).publicKey().toBase64();
    private final String c0 = ConfigFixtures.key(100).publicKey().toBase64();

    private String replicas() {
        return "replicas:\n"
                + "  - id: 0\n    url: http://127.0.0.1:8080\n    publicKey: " + k0 + "\n"
                + "  - id: 1\n    url: http://127.0.0.1:8081\n    publicKey: " + k1 + "\n"
                + "  - id: 2\n    url: http://127.0.0.1:8082\n    publicKey: " + k2 + "\n"
                + "  - id: 3\n    url: http://127.0.0.1:8083\n    publicKey: " + k3 + "\n";
    }

    private String clients() {
        return "clients:\n  - id: client-0\n    publicKey: " + c0 + "\n    roles: [submit, read]\n";
    }

    private Path file(String text) throws IOException {
        Path file = dir.resolve("membership.yml");
        Files.writeString(file, text);
        return file;
    }

    private void assertRejected(String text, String problem) throws IOException {
        Path file = file(text);
        assertThatThrownBy(() -> MembershipFile.load(file))
                .isInstanceOf(MembershipFileException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void readsTheDocumentedFormatWithCommentsAndFlowLists() throws IOException {
        Membership m = MembershipFile.load(file("chainId: pbft-demo-1a2b3c   # comment\n" + replicas() + clients()));

        assertThat(m.chainId()).isEqualTo("pbft-demo-1a2b3c");
        assertThat(m.n()).isEqualTo(4);
        assertThat(m.f()).isEqualTo(1);
        assertThat(m.replica(2).url()).isEqualTo("http://127.0.0.1:8082");
        assertThat(m.replica(3).publicKey().toBase64()).isEqualTo(k3);
        assertThat(m.client("client-0")).get().satisfies(c -> {
            assertThat(c.roles()).containsExactly(Role.SUBMIT, Role.READ);
            assertThat(c.publicKey().toBase64()).isEqualTo(c0);
        });
    }

    @Test
    void writtenMembershipLoadsBackEqual() {
        ConfigFixtures.Cluster cluster = ConfigFixtures.write(dir, 7, 3);

        Membership loaded = MembershipFile.load(cluster.membershipFile());

        assertThat(loaded).isEqualTo(cluster.membership());
    }

    /** The checkpoint interval is optional; when present it is part of the genesis, so it must round-trip. */
    @Test
    void anOptionalCheckpointIntervalIsReadWrittenAndPartOfTheGenesis() throws IOException {
        Membership open = MembershipFile.load(file("chainId: c-1\n" + replicas() + clients()));
        Membership fixed = MembershipFile.load(file("chainId: c-1\ncheckpointInterval: 50\n" + replicas() + clients()));

        assertThat(open.fixesCheckpointInterval()).isFalse();
        assertThat(open.checkpointIntervalOr(100)).isEqualTo(100);
        assertThat(fixed.checkpointInterval()).isEqualTo(50);
        assertThat(MembershipFile.toYaml(fixed)).contains("checkpointInterval: 50");
        assertThat(MembershipFile.toYaml(open)).doesNotContain("checkpointInterval");
        assertThat(MembershipFile.load(file(MembershipFile.toYaml(fixed)))).isEqualTo(fixed);
        // chains that differ only in K have different genesis blocks, so their replicas never mix
        Membership other = new Membership("c-1", fixed.replicas(), fixed.clients(), 60);
        assertThat(io.pbftledger.chain.Genesis.of(fixed).hash()).isNotEqualTo(io.pbftledger.chain.Genesis.of(open).hash())
                .isNotEqualTo(io.pbftledger.chain.Genesis.of(other).hash());
    }

    @Test
    void rejectsACheckpointIntervalOutOfRange() throws IOException {
        assertRejected("chainId: c-1\ncheckpointInterval: 0\n" + replicas() + clients(), "checkpointInterval must be 1..1000000, got 0");
        assertRejected("chainId: c-1\ncheckpointInterval: 1000001\n" + replicas() + clients(), "checkpointInterval must be 1..1000000");
        assertRejected("chainId: c-1\ncheckpointInterval: 2.5\n" + replicas() + clients(), "checkpointInterval");
    }

    @Test
    void dropsOneTrailingSlashFromReplicaUrls() throws IOException {
        Membership m = MembershipFile.load(file("chainId: c\n" + replicas().replace("8081\n", "8081/\n") + clients()));

        assertThat(m.replica(1).url()).isEqualTo("http://127.0.0.1:8081");
    }

    @Test
    void rejectsAnUnknownTopLevelField() throws IOException {
        assertRejected("chainId: c\nextra: 1\n" + replicas() + clients(), "unknown field 'extra'");
    }

    @Test
    void rejectsAnUnknownReplicaFieldAndSaysWhere() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace("    url: http://127.0.0.1:8081\n", "    url: http://127.0.0.1:8081\n    port: 1\n") + clients(),
                "unknown field 'port' at replicas[1].port");
    }

    @Test
    void rejectsAMissingChainId() throws IOException {
        assertRejected(replicas() + clients(), "missing field 'chainId'");
    }

    @Test
    void rejectsMissingClients() throws IOException {
        assertRejected("chainId: c\n" + replicas(), "missing field 'clients'");
    }

    @Test
    void rejectsAReplicaWithoutPublicKey() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace("    publicKey: " + k2 + "\n", "") + clients(), "missing field 'replicas[2].publicKey'");
    }

    @Test
    void rejectsBadBase64() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace(k1, "not*base64") + clients(), "replicas[1].publicKey is not valid base64");
    }

    @Test
    void rejectsAKeyOfTheWrongLength() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace(k1, "AAAA") + clients(), "replicas[1].publicKey must be a base64 32-byte Ed25519 public key, got 3 bytes");
    }

    @Test
    void rejectsADuplicateReplicaId() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace("id: 2", "id: 1") + clients(), "replica id 1 is listed twice (replicas[1] and replicas[2])");
    }

    @Test
    void rejectsTheSamePublicKeyForTwoReplicas() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace(k3, k0) + clients(), "a public key is listed twice (replicas[0] and replicas[3])");
    }

    @Test
    void rejectsFewerThanFourReplicas() throws IOException {
        String three = replicas().substring(0, replicas().indexOf("  - id: 3"));
        assertRejected("chainId: c\n" + three + clients(), "the membership lists 3 replicas; at least 4 are needed");
    }

    @Test
    void acceptsAReplicaCountThatIsNot3fPlus1WithTheLargerQuorum() throws IOException {
        String five = replicas() + "  - id: 4\n    url: http://127.0.0.1:8084\n    publicKey: " + ConfigFixtures.key(5).publicKey().toBase64() + "\n";
        Membership m = MembershipFile.load(file("chainId: c\n" + five + clients()));

        assertThat(m.n()).isEqualTo(5);
        assertThat(m.f()).isEqualTo(1);
        assertThat(m.quorum()).isEqualTo(4);
    }

    @Test
    void rejectsReplicaIdsOutOfOrder() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace("id: 3", "id: 7") + clients(), "replica ids must be 0..3 in order");
    }

    @Test
    void rejectsADuplicateClientId() throws IOException {
        String two = clients() + "  - id: client-0\n    publicKey: " + k0 + "\n    roles: [read]\n";
        assertRejected("chainId: c\n" + replicas() + two, "client id 'client-0' is listed twice");
    }

    @Test
    void rejectsAnUnknownRole() throws IOException {
        assertRejected("chainId: c\n" + replicas() + clients().replace("[submit, read]", "[submit, root]"), "clients[0].roles: unknown role 'root'");
    }

    @Test
    void rejectsANonHttpUrl() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace("http://127.0.0.1:8082", "ftp://127.0.0.1:8082") + clients(),
                "replicas[2].url must be an http(s) base URL");
    }

    @Test
    void rejectsAFractionalId() throws IOException {
        assertRejected("chainId: c\n" + replicas().replace("id: 3", "id: 3.5") + clients(), "wrong value at replicas[3].id");
    }

    @Test
    void rejectsADuplicateYamlKey() throws IOException {
        assertRejected("chainId: c\nchainId: d\n" + replicas() + clients(), "not valid YAML");
    }

    @Test
    void rejectsAnInvalidChainId() throws IOException {
        assertRejected("chainId: 'bad chain'\n" + replicas() + clients(), "chainId must match");
    }

    @Test
    void rejectsAnEmptyFile() throws IOException {
        assertRejected("# nothing\n", "the file is empty");
        assertRejected("", "the file is empty");
    }

    @Test
    void rejectsAMissingFile() {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> MembershipFile.load(missing)).isInstanceOf(MembershipFileException.class)
                .hasMessage(missing + ": file not found");
    }
}
