package io.pbftledger.storage;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.SignatureCheck;
import io.pbftledger.chain.Transaction;
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
 * A four-replica cluster with deterministic keys that produces real blocks: client-signed
 * transactions executed by {@link BlockExecutor} and certified by COMMITs of replicas 0, 1 and 2.
 */
final class LedgerFixture {
    static final int REPLICAS = 4;
    static final long FIRST_TIMESTAMP_MS = 1_700_000_000_000L;

    private final List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
    private final Membership membership;
    private final ClientIdentity alice;
    private final ClientIdentity bob;
    private final ClientIdentity admin;

    LedgerFixture(String chainId) {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            Ed25519.PrivateKey key = Ed25519.PrivateKey.fromSeed(seed(i + 1));
            replicaKeys.add(key);
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (18080 + i), key.publicKey()));
        }
        Ed25519.PrivateKey aliceKey = Ed25519.PrivateKey.fromSeed(seed(101));
        Ed25519.PrivateKey bobKey = Ed25519.PrivateKey.fromSeed(seed(102));
        Ed25519.PrivateKey adminKey = Ed25519.PrivateKey.fromSeed(seed(103));
        membership = new Membership(chainId, replicas, List.of(
                new Membership.Client("alice", aliceKey.publicKey(), Set.of(Role.SUBMIT, Role.READ)),
                new Membership.Client("bob", bobKey.publicKey(), Set.of(Role.SUBMIT, Role.READ)),
                new Membership.Client("admin", adminKey.publicKey(), Set.of(Role.ADMIN))));
        alice = new ClientIdentity("alice", chainId, aliceKey);
        bob = new ClientIdentity("bob", chainId, bobKey);
        admin = new ClientIdentity("admin", chainId, adminKey);
    }

    Membership membership() {
        return membership;
    }

    Block genesis() {
        return Genesis.of(membership);
    }

    ClientIdentity alice() {
        return alice;
    }

    ClientIdentity bob() {
        return bob;
    }

    /** A client with only the admin role. */
    ClientIdentity admin() {
        return admin;
    }

    /** The block that executes {@code txs} on top of {@code previous}, certified by replicas 2, 0 and 1. */
    ExecutedBlock next(BlockHeader previous, List<Transaction> txs) {
        return next(previous, txs, io.pbftledger.chain.PriorExecution.NONE);
    }

    /** As {@link #next(BlockHeader, List)}, skipping transactions whose (clientId, nonce) {@code prior} executed. */
    ExecutedBlock next(BlockHeader previous, List<Transaction> txs, io.pbftledger.chain.PriorExecution prior) {
        return next(previous, null, txs, prior);
    }

    /** As {@link #next(BlockHeader, List)}, executed under {@code clients}. */
    ExecutedBlock next(BlockHeader previous, ClientMembership clients, List<Transaction> txs) {
        return next(previous, clients, txs, io.pbftledger.chain.PriorExecution.NONE);
    }

    /** Executed under {@code clients} (without permission checks when null), skipping what {@code prior} executed. */
    ExecutedBlock next(BlockHeader previous, ClientMembership clients, List<Transaction> txs,
                               io.pbftledger.chain.PriorExecution prior) {
        long view = 0;
        long sequence = previous.sequence() + 1;
        long timestamp = FIRST_TIMESTAMP_MS + 1000 * (previous.height() + 1);
        List<ClientRequest> requests = txs.stream().map(Transaction::toRequest).toList();
        Digest batchDigest = BatchDigest.ofRequests(timestamp, requests);
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (int replica : new int[] {2, 0, 1}) {
            Commit commit = new Commit(replica, view, sequence, batchDigest);
            certificate.add(new Signed<>(commit, replicaKeys.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), commit))));
        }
        int primary = (int) (view % REPLICAS);
        OrderedBatch batch = new OrderedBatch(view, sequence, timestamp, primary, batchDigest, requests, certificate);
        return clients == null ? BlockExecutor.execute(previous, batch, prior)
                : BlockExecutor.execute(previous, clients, batch, SignatureCheck.DIRECT, prior);
    }

    ExecutedBlock next(BlockHeader previous, Transaction... txs) {
        return next(previous, List.of(txs));
    }

    private static byte[] seed(int value) {
        byte[] seed = new byte[Ed25519.KEY_BYTES];
        Arrays.fill(seed, (byte) value);
        return seed;
    }
}
