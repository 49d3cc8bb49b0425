package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.SignatureCheck;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * After a client's key rotation (revoke, then add with a new key) the same transaction fields can be
 * signed by the old and by the new key. Backups accept a request signed by any key its client holds
 * or held, execution only the current key: a faulty primary that sends one body to some backups and
 * the other body to the rest must not be able to get both groups to commit one certificate.
 */
class RotatedKeyOrderingTest {
    private static final String CHAIN = "rot";
    private static final long TIMESTAMP = 1_700_000_000_000L;
    private final List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
    private final Ed25519.PrivateKey admin = key(40);
    private final Ed25519.PrivateKey oldKey = key(41);
    private final Ed25519.PrivateKey newKey = key(42);
    private final Membership membership = membership();

    private static Ed25519.PrivateKey key(int seedByte) {
        byte[] seed = new byte[Ed25519.KEY_BYTES];
        Arrays.fill(seed, (byte) seedByte);
        return Ed25519.PrivateKey.fromSeed(seed);
    }

    private Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicaKeys.add(key(i + 1));
            replicas.add(new Membership.Replica(i, "http://r" + i, replicaKeys.get(i).publicKey()));
        }
        return new Membership(CHAIN, replicas, List.of(
                new Membership.Client("admin", admin.publicKey(), EnumSet.of(Role.ADMIN)),
                new Membership.Client("alice", oldKey.publicKey(), EnumSet.of(Role.SUBMIT))));
    }

    private static OrderedBatch batch(long sequence, List<ClientRequest> requests, Digest digest) {
        return new OrderedBatch(0, sequence, TIMESTAMP + sequence, 0, digest, requests, List.of());
    }

    private static ExecutedBlock execute(BlockHeader previous, ClientMembership clients, long sequence,
                                         Transaction... txs) {
        List<ClientRequest> requests = Arrays.stream(txs).map(Transaction::toRequest).toList();
        return BlockExecutor.execute(previous, clients, batch(sequence, requests,
                BatchDigest.ofRequests(TIMESTAMP + sequence, requests)), SignatureCheck.DIRECT);
    }

    @Test
    void twoHonestReplicasThatCommitTheSameCertificateStoreTheSameBlockAfterAKeyRotation() {
        // Blocks 1 and 2: the admin rotates alice's key (revoke, then add with the new key).
        BlockHeader genesis = Genesis.of(membership).header();
        ExecutedBlock revoked = execute(genesis, ClientMembership.genesis(membership), 1,
                Transaction.sign(CHAIN, "admin", 1, MembershipOp.KEY, "{\"op\":\"revoke\",\"clientId\":\"alice\"}", admin));
        ExecutedBlock rotated = execute(revoked.block().header(), revoked.clientsAfter(), 2,
                Transaction.sign(CHAIN, "admin", 2, MembershipOp.KEY, "{\"op\":\"add\",\"clientId\":\"alice\",\"publicKey\":\""
                        + newKey.publicKey().toBase64() + "\",\"roles\":[\"submit\"]}", admin));
        assertThat(rotated.refusals()).isEmpty();
        ClientMembership clients = rotated.clientsAfter();
        BlockHeader tip = rotated.block().header();

        // The same fields signed by the old and by the new key: one txId, two bodies.
        Transaction byOldKey = Transaction.sign(CHAIN, "alice", 7, "k", "\"v\"", oldKey);
        Transaction byNewKey = Transaction.sign(CHAIN, "alice", 7, "k", "\"v\"", newKey);
        assertThat(byOldKey.txId()).isEqualTo(byNewKey.txId());

        // A backup accepts either body into a PRE-PREPARE: whether the client may act is execution's call.
        InboundVerifier backup = new InboundVerifier(membership, 1,
                new TransactionChecks(new ClientRegistry(clients, new VerifiedTransactions(100))),
                ForkJoinPool.commonPool(), 100, 1 << 20);
        ClientRequest oldRequest = byOldKey.toRequest();
        ClientRequest newRequest = byNewKey.toRequest();
        Digest oldDigest = BatchDigest.ofRequests(TIMESTAMP + 3, List.of(oldRequest));
        Digest newDigest = BatchDigest.ofRequests(TIMESTAMP + 3, List.of(newRequest));
        assertThat(backup.reject(prePrepare(oldDigest, oldRequest))).isEmpty();
        assertThat(backup.reject(prePrepare(newDigest, newRequest))).isEmpty();

        // Replica A executes the old-key body, replica B the new-key body, each under its PRE-PREPARE's digest.
        ExecutedBlock atA = BlockExecutor.execute(tip, clients, batch(3, List.of(oldRequest), oldDigest),
                SignatureCheck.DIRECT);
        ExecutedBlock atB = BlockExecutor.execute(tip, clients, batch(3, List.of(newRequest), newDigest),
                SignatureCheck.DIRECT);
        assertThat(atA.refusals()).as("execution accepts only the current key").hasSize(1);
        assertThat(atB.refusals()).isEmpty();

        if (oldDigest.equals(newDigest)) {
            // One commit certificate would cover both: then both replicas must store the same block.
            assertThat(atA.block().hash()).as("block hash at A and at B under one certificate")
                    .isEqualTo(atB.block().hash());
            assertThat(atA.block().transactions()).isEqualTo(atB.block().transactions());
        }
        assertThat(oldDigest).as("the ordered identity binds the exact signed bytes, so each body needs its own "
                + "certificate").isNotEqualTo(newDigest);
        assertThat(oldRequest.id()).isNotEqualTo(newRequest.id());
        ClientRequest oldBodyUnderNewId = new ClientRequest("alice", 7, newRequest.id(), byOldKey.wireBytes());
        assertThat(backup.reject(prePrepare(newDigest, oldBodyUnderNewId)))
                .as("a body travels only under its own request id").hasValue("invalid_request");
        assertThat(atA.block().header().transactionsRoot()).as("the Merkle leaves stay the txIds")
                .isEqualTo(atB.block().header().transactionsRoot());
    }

    private Signed<PrePrepare> prePrepare(Digest digest, ClientRequest request) {
        PrePrepare pp = new PrePrepare(0, 0, 3, TIMESTAMP + 3, digest, List.of(request));
        return new Signed<>(pp, replicaKeys.get(0).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), pp)));
    }
}
