package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A chain of four genesis replicas whose replica set changes: checkpoints every {@link #K} sequences,
 * one block per sequence, each certified in the first view of the epoch that orders it by a quorum of
 * that epoch's members with the keys they hold there (or by whoever a test names).
 */
final class ReplicaSetChain {
    static final long K = 4;
    static final String CHAIN_ID = "epochs-test";

    /** Every replica key a test may use, by seed; replica i of the genesis set holds key(i + 1). */
    final Map<Ed25519.PublicKey, Ed25519.PrivateKey> keys = new java.util.HashMap<>();
    final Membership membership;
    final ClientIdentity admin = new ClientIdentity("admin", CHAIN_ID, PermissionedChain.key(60));
    final ClientIdentity alice = new ClientIdentity("alice", CHAIN_ID, PermissionedChain.key(61));
    private final List<ExecutedBlock> blocks = new ArrayList<>();
    private BlockHeader tip;
    private ClientMembership clients;
    private long nonce = 1;

    ReplicaSetChain() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, url(i), key(i + 1).publicKey()));
        }
        membership = new Membership(CHAIN_ID, replicas, List.of(
                new Membership.Client("admin", admin.privateKey().publicKey(), Set.of(Role.ADMIN)),
                new Membership.Client("alice", alice.privateKey().publicKey(), Set.of(Role.SUBMIT, Role.READ))));
        tip = Genesis.of(membership).header();
        clients = ClientMembership.genesis(membership, K);
    }

    static String url(int replica) {
        return "http://127.0.0.1:" + (19180 + replica);
    }

    Ed25519.PrivateKey key(int seed) {
        Ed25519.PrivateKey key = PermissionedChain.key(seed);
        keys.put(key.publicKey(), key);
        return key;
    }

    Transaction op(ClientIdentity who, String payload) {
        return who.sign(nonce++, ReplicaOp.KEY, payload);
    }

    Transaction write(String key) {
        return alice.sign(nonce++, key, "{\"n\":" + nonce + "}");
    }

    /** Executes the next block, certified by a quorum of the epoch that orders its sequence, and makes it the tip. */
    ExecutedBlock append(Transaction... txs) {
        ReplicaRoster.Epoch epoch = clients.replicas().ordering(tip.sequence() + 1);
        return append(epoch.firstView(), epoch, List.of(txs));
    }

    /** As {@link #append(Transaction...)}, certified in {@code view} by the first quorum of {@code signers}. */
    ExecutedBlock append(long view, ReplicaRoster.Epoch signers, List<Transaction> txs) {
        OrderedBatch batch = batch(tip, view, signers, txs);
        ExecutedBlock executed = BlockExecutor.execute(tip, clients, batch, SignatureCheck.DIRECT);
        blocks.add(executed);
        tip = executed.block().header();
        clients = executed.clientsAfter();
        return executed;
    }

    /** Appends blocks of ordinary writes until the tip's sequence is {@code sequence}. */
    void appendUpTo(long sequence) {
        while (tip.sequence() < sequence) {
            append(write("k" + tip.sequence()));
        }
    }

    OrderedBatch batch(BlockHeader previous, long view, ReplicaRoster.Epoch signers, List<Transaction> txs) {
        long sequence = previous.sequence() + 1;
        long timestamp = 1_700_000_000_000L + 1000 * sequence;
        List<ClientRequest> requests = txs.stream().map(Transaction::toRequest).toList();
        Digest digest = BatchDigest.ofRequests(timestamp, requests);
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (ReplicaRoster.Member m : signers.members().subList(0, signers.quorums().quorum())) {
            Commit commit = new Commit(m.id(), view, sequence, digest);
            certificate.add(new Signed<>(commit, keys.get(m.publicKey())
                    .sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), commit))));
        }
        return new OrderedBatch(view, sequence, timestamp, m0(signers), digest, requests, certificate);
    }

    private static int m0(ReplicaRoster.Epoch epoch) {
        return epoch.members().get(0).id();
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

    static String add(int id, String url, Ed25519.PublicKey key) {
        return "{\"op\":\"add\",\"replicaId\":" + id + ",\"url\":\"" + url + "\",\"publicKey\":\"" + key.toBase64() + "\"}";
    }

    static String remove(int id) {
        return "{\"op\":\"remove\",\"replicaId\":" + id + "}";
    }

    static String rotate(int id, Ed25519.PublicKey key) {
        return "{\"op\":\"rotate-key\",\"replicaId\":" + id + ",\"publicKey\":\"" + key.toBase64() + "\"}";
    }

    static String setUrl(int id, String url) {
        return "{\"op\":\"set-url\",\"replicaId\":" + id + ",\"url\":\"" + url + "\"}";
    }

    /** Every block of this chain verified in order from the genesis, by a verifier that trusts only the genesis membership. */
    List<String> problemsFromGenesis() {
        ChainVerifier verifier = new ChainVerifier(membership, K);
        List<String> problems = new ArrayList<>();
        BlockHeader previous = Genesis.of(membership).header();
        for (ExecutedBlock b : blocks) {
            verifier.problem(previous, b.block()).ifPresent(p -> problems.add("block " + b.block().height() + ": " + p));
            previous = b.block().header();
        }
        return problems;
    }

    static Map<Integer, String> urls(ReplicaRoster.Epoch epoch) {
        Map<Integer, String> out = new TreeMap<>();
        epoch.members().forEach(m -> out.put(m.id(), m.url()));
        return out;
    }
}
