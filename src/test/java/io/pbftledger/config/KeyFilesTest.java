package io.pbftledger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.crypto.Ed25519;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void replicaKeyFileRoundTripsAndIsOwnerOnly() throws IOException {
        Path file = dir.resolve("replicas/replica-2.key");
        Ed25519.PrivateKey key = ConfigFixtures.key(9);

        KeyFiles.writeReplicaKey(file, new KeyFiles.ReplicaKey(2, key));
        KeyFiles.ReplicaKey loaded = KeyFiles.loadReplicaKey(file);

        assertThat(loaded.replicaId()).isEqualTo(2);
        assertThat(loaded.privateKey().seed()).isEqualTo(key.seed());
        assertThat(loaded.publicKey()).isEqualTo(key.publicKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("replicaId: 2", "publicKey: " + key.publicKey().toBase64(), "privateKey: " + key.toBase64());
    }

    @Test
    void clientKeyFileRoundTripsAndIsOwnerOnly() throws IOException {
        Path file = dir.resolve("client-0.key");
        ClientIdentity identity = new ClientIdentity("client-0", "pbft-x", ConfigFixtures.key(7));

        KeyFiles.writeClientIdentity(file, identity);
        ClientIdentity loaded = KeyFiles.loadClientIdentity(file);

        assertThat(loaded.clientId()).isEqualTo("client-0");
        assertThat(loaded.chainId()).isEqualTo("pbft-x");
        assertThat(loaded.privateKey().publicKey()).isEqualTo(identity.privateKey().publicKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void overwritingAKeyFileKeepsItOwnerOnly() throws IOException {
        Path file = dir.resolve("replica-0.key");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        KeyFiles.writeReplicaKey(file, new KeyFiles.ReplicaKey(0, ConfigFixtures.key(1)));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeyFiles.loadReplicaKey(file).replicaId()).isZero();
    }

    @Test
    void loadsEveryClientIdentityOfADirectoryInFileNameOrder() {
        ConfigFixtures.Cluster cluster = ConfigFixtures.write(dir, 4, 3);

        List<ClientIdentity> identities = KeyFiles.loadClientIdentities(cluster.clientsDir());

        assertThat(identities).extracting(ClientIdentity::clientId).containsExactly("client-0", "client-1", "client-2");
    }

    @Test
    void refusesTwoFilesWithTheSameClientId() {
        ClientIdentity identity = new ClientIdentity("client-0", "c", ConfigFixtures.key(3));
        KeyFiles.writeClientIdentity(dir.resolve("a.key"), identity);
        KeyFiles.writeClientIdentity(dir.resolve("b.key"), identity);

        assertThatThrownBy(() -> KeyFiles.loadClientIdentities(dir)).isInstanceOf(MembershipFileException.class)
                .hasMessage(dir.resolve("b.key") + ": clientId 'client-0' is also in a.key");
    }

    @Test
    void refusesADirectoryWithoutKeyFiles() {
        assertThatThrownBy(() -> KeyFiles.loadClientIdentities(dir)).isInstanceOf(MembershipFileException.class)
                .hasMessage(dir + ": holds no client key files (*.key)");
    }

    @Test
    void refusesAPublicKeyThatIsNotThePrivateKeys() throws IOException {
        Path file = dir.resolve("replica-0.key");
        Files.writeString(file, "replicaId: 0\npublicKey: " + ConfigFixtures.key(2).publicKey().toBase64()
                + "\nprivateKey: " + ConfigFixtures.key(1).toBase64() + "\n");

        assertThatThrownBy(() -> KeyFiles.loadReplicaKey(file)).isInstanceOf(MembershipFileException.class)
                .hasMessageStartingWith(file + ": publicKey is not the public key of privateKey");
    }

    @Test
    void refusesAMissingPrivateKey() throws IOException {
        Path file = dir.resolve("replica-0.key");
        Files.writeString(file, "replicaId: 0\npublicKey: " + ConfigFixtures.key(2).publicKey().toBase64() + "\n");

        assertThatThrownBy(() -> KeyFiles.loadReplicaKey(file)).hasMessage(file + ": missing field 'privateKey'");
    }

    @Test
    void refusesAPrivateKeyOfTheWrongLength() throws IOException {
        Path file = dir.resolve("client.key");
        Files.writeString(file, "clientId: a\nchainId: c\npublicKey: " + ConfigFixtures.key(2).publicKey().toBase64() + "\nprivateKey: AAAAAAAA\n");

        assertThatThrownBy(() -> KeyFiles.loadClientIdentity(file))
                .hasMessage(file + ": privateKey must be a base64 32-byte Ed25519 private key seed, got 6 bytes");
    }

    @Test
    void refusesAnUnknownFieldInAKeyFile() throws IOException {
        Path file = dir.resolve("replica-0.key");
        KeyFiles.writeReplicaKey(file, new KeyFiles.ReplicaKey(0, ConfigFixtures.key(1)));
        Files.writeString(file, Files.readString(file) + "comment: hi\n");

        assertThatThrownBy(() -> KeyFiles.loadReplicaKey(file)).hasMessageStartingWith(file + ": unknown field 'comment'");
    }
}
