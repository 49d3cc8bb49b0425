package io.pbftledger.explorer;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small chain objects for the explorer and observability tests. */
public final class ExplorerFixtures {
    public static final String CHAIN_ID = "explorer-test";
    public static final Ed25519.PrivateKey CLIENT_KEY = key(100);

    private ExplorerFixtures() {
    }

    public static Ed25519.PrivateKey key(int seedByte) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) seedByte);
        return Ed25519.PrivateKey.fromSeed(seed);
    }

    /** Four replicas at the given base URLs (index = replica id). */
    public static Membership membership(List<String> urls) {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            replicas.add(new Membership.Replica(i, urls.get(i), key(i).publicKey()));
        }
        return new Membership(CHAIN_ID, replicas,
                List.of(new Membership.Client("client-0", CLIENT_KEY.publicKey(), Set.of(Role.SUBMIT, Role.READ))));
    }

    public static Transaction tx(long nonce) {
        return Transaction.sign(CHAIN_ID, "client-0", nonce, "k" + nonce, "{\"n\":" + nonce + "}", CLIENT_KEY);
    }

    public static Block block(long height, List<Transaction> transactions) {
        BlockHeader header = new BlockHeader(height, digest((int) height + 1), 1_767_225_600_000L + height, 3, height,
                0, digest(0x20), digest(0x30), digest(0x40), transactions.size());
        return Block.of(header, transactions, List.of());
    }

    public static ConsensusInfo consensus(int replicaId, long view, long height) {
        return new ConsensusInfo(replicaId, 4, 1, view, (int) (view % 4), "NORMAL", height, height, 0, 200, 0,
                List.of(), Map.of(), 0, view, List.of());
    }

    private static Digest digest(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return new Digest(bytes);
    }
}
