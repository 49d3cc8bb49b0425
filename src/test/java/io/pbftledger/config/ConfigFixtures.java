package io.pbftledger.config;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.crypto.Ed25519;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** A small cluster written to disk with deterministic keys, for the loader and startup check tests. */
final class ConfigFixtures {
    static final String CHAIN = "pbft-test-1";

    private ConfigFixtures() {
    }

    record Cluster(Path dir, Membership membership, List<Ed25519.PrivateKey> replicaKeys, List<ClientIdentity> clients) {
        Path membershipFile() {
            return dir.resolve("membership.yml");
        }

        Path keyFile(int i) {
            return dir.resolve("replicas/replica-" + i + ".key");
        }

        Path clientsDir() {
            return dir.resolve("clients");
        }
    }

    static Ed25519.PrivateKey key(int seed) {
        byte[] bytes = new byte[Ed25519.KEY_BYTES];
        Arrays.fill(bytes, (byte) seed);
        return Ed25519.PrivateKey.fromSeed(bytes);
    }

    static Cluster write(Path dir, int n, int clientCount) {
        List<Ed25519.PrivateKey> keys = new ArrayList<>();
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(key(i + 1));
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (8080 + i), keys.get(i).publicKey()));
        }
        List<ClientIdentity> identities = new ArrayList<>();
        List<Membership.Client> clients = new ArrayList<>();
        for (int j = 0; j < clientCount; j++) {
            ClientIdentity identity = new ClientIdentity("client-" + j, CHAIN, key(100 + j));
            identities.add(identity);
            clients.add(new Membership.Client(identity.clientId(), identity.privateKey().publicKey(), Set.of(Role.SUBMIT, Role.READ)));
        }
        Membership membership = new Membership(CHAIN, replicas, clients);
        MembershipFile.write(dir.resolve("membership.yml"), membership);
        for (int i = 0; i < n; i++) {
            KeyFiles.writeReplicaKey(dir.resolve("replicas/replica-" + i + ".key"), new KeyFiles.ReplicaKey(i, keys.get(i)));
        }
        for (int j = 0; j < clientCount; j++) {
            KeyFiles.writeClientIdentity(dir.resolve("clients/client-" + j + ".key"), identities.get(j));
        }
        return new Cluster(dir, membership, keys, identities);
    }
}
