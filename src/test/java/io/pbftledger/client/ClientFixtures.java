package io.pbftledger.client;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.crypto.Ed25519;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Deterministic keys and a 4-replica membership for the client's tests. */
public final class ClientFixtures {
    public static final String CHAIN_ID = "client-test";
    public static final List<Ed25519.PrivateKey> REPLICA_KEYS = List.of(key(10), key(11), key(12), key(13));
    public static final Ed25519.PrivateKey CLIENT_KEY = key(50);
    public static final ClientIdentity CLIENT = new ClientIdentity("client-0", CHAIN_ID, CLIENT_KEY);

    private ClientFixtures() {
    }

    public static Ed25519.PrivateKey key(int seedByte) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) seedByte);
        return Ed25519.PrivateKey.fromSeed(seed);
    }

    public static Membership membership(List<String> urls) {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, urls.get(i), REPLICA_KEYS.get(i).publicKey()));
        }
        return new Membership(CHAIN_ID, replicas,
                List.of(new Membership.Client("client-0", CLIENT_KEY.publicKey(), Set.of(Role.SUBMIT, Role.READ))));
    }

    public static Membership membership() {
        return membership(List.of("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3", "http://127.0.0.1:4"));
    }
}
