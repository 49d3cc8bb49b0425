package io.pbftledger.api;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** A small deterministic ledger world for API tests: membership, keys, transactions, blocks. */
final class ApiFixtures {
    static final String CHAIN_ID = "pbft-test-chain";
    static final Ed25519.PrivateKey CLIENT_0_KEY = key(100);
    static final Ed25519.PrivateKey CLIENT_1_KEY = key(101);
    static final List<Ed25519.PrivateKey> REPLICA_KEYS = List.of(key(0), key(1), key(2), key(3));
    /** The replica the API slice plays: it signs committed answers with REPLICA_KEYS.get(SELF). */
    static final int SELF = 2;

    private ApiFixtures() {
    }

    static Ed25519.PrivateKey key(int seedByte) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) seedByte);
        return Ed25519.PrivateKey.fromSeed(seed);
    }

    static Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (8080 + i), REPLICA_KEYS.get(i).publicKey()));
        }
        return new Membership(CHAIN_ID, replicas, List.of(
                new Membership.Client("client-0", CLIENT_0_KEY.publicKey(), Set.of(Role.SUBMIT, Role.READ)),
                new Membership.Client("client-1", CLIENT_1_KEY.publicKey(), Set.of(Role.READ))));
    }

    /** Demo identities: client-1 lacks the submit role, so the demo signer must skip it. */
    static List<ClientIdentity> demoIdentities() {
        return List.of(new ClientIdentity("client-1", CHAIN_ID, CLIENT_1_KEY),
                new ClientIdentity("client-0", CHAIN_ID, CLIENT_0_KEY));
    }

    static Transaction tx(long nonce) {
        return Transaction.sign(CHAIN_ID, "client-0", nonce, "greeting", "{\"text\":\"hello\",\"n\":" + nonce + "}",
                CLIENT_0_KEY);
    }

    /** The JSON a client posts for a transaction, with the payload written non-canonically on purpose. */
    static String json(Transaction tx) {
        String payload = tx.payload().replace(",", " , ");
        return "{\"chainId\":\"" + tx.chainId() + "\",\"clientId\":\"" + tx.clientId() + "\",\"nonce\":" + tx.nonce()
                + (tx.key() == null ? "" : ",\"key\":\"" + tx.key() + "\"")
                + ",\"payload\":" + payload + ",\"signature\":\"" + tx.signatureBase64() + "\"}";
    }

    static Digest digest(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return new Digest(bytes);
    }

    static BlockHeader header(long height, int transactionCount) {
        return new BlockHeader(height, digest((int) height + 1), 1_767_225_600_000L + height, 0, height, 0,
                digest(0x20), digest(0x30), digest(0x40), transactionCount);
    }

    /** A block with the given transactions and a 3-replica certificate (signatures real, over the commit). */
    static Block block(long height, List<Transaction> transactions) {
        BlockHeader header = header(height, transactions.size());
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (int replica = 0; replica < 3; replica++) {
            Commit commit = new Commit(replica, header.view(), header.sequence(), header.batchDigest());
            certificate.add(new Signed<>(commit, REPLICA_KEYS.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership()), commit))));
        }
        return Block.of(header, transactions, certificate);
    }

    static TransactionRecord record(Transaction tx, Block block, int index) {
        return new TransactionRecord(tx, tx.txId(), block.height(), block.hash(), index);
    }
}
