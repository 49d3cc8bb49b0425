package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A four-replica chain with deterministic keys and three clients: admin (admin), alice (submit,
 * read), reader (read). Blocks are executed under the client membership and certified by replicas
 * 0, 1 and 2, so {@link ChainVerifier} accepts them.
 */
final class PermissionedChain {
    static final String CHAIN_ID = "perm-test";

    final List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
    final Membership membership;
    final ClientIdentity admin = identity("admin", 50);
    final ClientIdentity alice = identity("alice", 51);
    final ClientIdentity reader = identity("reader", 52);
    private final List<ExecutedBlock> blocks = new ArrayList<>();
    private BlockHeader tip;
    private ClientMembership clients;
    private long nonce = 1;

    PermissionedChain() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey key = key(i + 1);
            replicaKeys.add(key);
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (19080 + i), key.publicKey()));
        }
        membership = new Membership(CHAIN_ID, replicas, List.of(
                new Membership.Client("admin", admin.privateKey().publicKey(), Set.of(Role.ADMIN)),
                new Membership.Client("alice", alice.privateKey().publicKey(), Set.of(Role.SUBMIT, Role.READ)),
                new Membership.Client("reader", reader.privateKey().publicKey(), Set.of(Role.READ))));
        tip = Genesis.of(membership).header();
        clients = ClientMembership.genesis(membership);
    }

    static Ed25519.PrivateKey key(int seedByte) {
        byte[] seed = new byte[Ed25519.KEY_BYTES];
        Arrays.fill(seed, (byte) seedByte);
        return Ed25519.PrivateKey.fromSeed(seed);
    }

    static ClientIdentity identity(String id, int seedByte) {
        return new ClientIdentity(id, CHAIN_ID, key(seedByte));
    }

    Transaction write(ClientIdentity who, String key, String payload) {
        return who.sign(nonce++, key, payload);
    }

    Transaction membershipOp(ClientIdentity who, String payload) {
        return write(who, MembershipOp.KEY, payload);
    }

    static String add(ClientIdentity client, String... roles) {
        return "{\"op\":\"add\",\"clientId\":\"" + client.clientId() + "\",\"publicKey\":\""
                + client.privateKey().publicKey().toBase64() + "\",\"roles\":[\"" + String.join("\",\"", roles) + "\"]}";
    }

    static String revoke(String clientId) {
        return "{\"op\":\"revoke\",\"clientId\":\"" + clientId + "\"}";
    }

    static String roles(String clientId, String... roles) {
        return "{\"op\":\"roles\",\"clientId\":\"" + clientId + "\",\"roles\":[\"" + String.join("\",\"", roles) + "\"]}";
    }

    /** Executes the next block under the membership in effect and makes it the tip. */
    ExecutedBlock append(Transaction... txs) {
        ExecutedBlock executed = BlockExecutor.execute(tip, clients, batch(tip, List.of(txs)), SignatureCheck.DIRECT);
        blocks.add(executed);
        tip = executed.block().header();
        clients = executed.clientsAfter();
        return executed;
    }

    OrderedBatch batch(BlockHeader previous, List<Transaction> txs) {
        long sequence = previous.sequence() + 1;
        long timestamp = 1_700_000_000_000L + 1000 * sequence;
        List<ClientRequest> requests = txs.stream().map(Transaction::toRequest).toList();
        Digest digest = BatchDigest.ofRequests(timestamp, requests);
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (int replica = 0; replica < 3; replica++) {
            Commit commit = new Commit(replica, 0, sequence, digest);
            certificate.add(new Signed<>(commit, replicaKeys.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), commit))));
        }
        return new OrderedBatch(0, sequence, timestamp, 0, digest, requests, certificate);
    }

    ClientMembership clients() {
        return clients;
    }

    BlockHeader tip() {
        return tip;
    }

    List<ExecutedBlock> blocks() {
        return List.copyOf(blocks);
    }
}
