package io.pbftledger.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
    private final SecureRandom random = new SecureRandom();
    private final List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
    private Ed25519.PrivateKey clientKey;
    private Membership membership;
    private ChainVerifier verifier;

    @BeforeEach
    void cluster() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey k = Ed25519.PrivateKey.generate(random);
            replicaKeys.add(k);
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9000 + i), k.publicKey()));
        }
        clientKey = Ed25519.PrivateKey.generate(random);
        membership = new Membership("test-chain", replicas,
                List.of(new Membership.Client("alice", clientKey.publicKey(), EnumSet.of(Role.SUBMIT, Role.READ))));
        verifier = new ChainVerifier(membership);
    }

    private ExecutedBlock next(BlockHeader previous, long sequence, long timestamp, int signers, String... payloads) {
        return nextInView(previous, 0, sequence, timestamp, signers, payloads);
    }

    private ExecutedBlock nextInView(BlockHeader previous, long view, long sequence, long timestamp, int signers,
            String... payloads) {
        return nextInView(previous, view, sequence, timestamp, signers, false, payloads);
    }

    /** {@code byTxId}: a batch digest over txIds (which leave the signature out) instead of request ids. */
    private ExecutedBlock nextInView(BlockHeader previous, long view, long sequence, long timestamp, int signers,
            boolean byTxId, String... payloads) {
        List<ClientRequest> requests = new ArrayList<>();
        for (int i = 0; i < payloads.length; i++) {
            Transaction tx = Transaction.sign("test-chain", "alice", sequence * 100 + i, "k" + i, payloads[i], clientKey);
            requests.add(byTxId ? new ClientRequest(tx.clientId(), tx.nonce(), tx.txId(), tx.wireBytes()) : tx.toRequest());
        }
        Digest digest = BatchDigest.ofRequests(timestamp, requests);
        List<Signed<Commit>> cert = new ArrayList<>();
        for (int r = 0; r < signers; r++) {
            Commit c = new Commit(r, view, sequence, digest);
            cert.add(new Signed<>(c, replicaKeys.get(r).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), c))));
        }
        int primary = (int) (view % 4);
        return BlockExecutor.execute(previous, new OrderedBatch(view, sequence, timestamp, primary, digest, requests, cert));
    }

    /**
     * Even under 2f+1 valid COMMITs, a batch digest over txIds does not verify: it leaves the signatures
     * out, so one certificate could stand for bodies signed with different keys.
     */
    @Test
    void aBlockWhoseBatchDigestCoversTxIdsInsteadOfRequestIdsDoesNotVerify() {
        Block genesis = Genesis.of(membership);
        ExecutedBlock byTxId = nextInView(genesis.header(), 0, 1, 1000, 3, true, "{\"v\":1}");
        assertThat(byTxId.block().header().batchDigest()).isEqualTo(BatchDigest.of(1000,
                List.of(byTxId.block().transactions().get(0).txId())));
        assertThat(verifier.problem(genesis.header(), byTxId.block()))
                .hasValue("batchDigest does not match the timestamp and transactions");
        assertThat(OrderedRequests.of(byTxId.block().header(), byTxId.block().transactions())).isEmpty();
    }

    /**
     * A batch that prepared in view 1 commits at some replicas in view 1 and at a replica that was down
     * in view 3 (the NEW-VIEW orders it again). Both are correct: the block, and the chain after it,
     * must be the same; only the stored commit evidence (view, primary, certificate) differs.
     */
    @Test
    void theSameBatchCommittedInDifferentViewsMakesTheSameBlockAndBothVerify() {
        Block genesis = Genesis.of(membership);
        ExecutedBlock inView1 = nextInView(genesis.header(), 1, 1, 1000, 3, "{\"v\":1}");
        ExecutedBlock inView3 = nextInView(genesis.header(), 3, 1, 1000, 3, "{\"v\":1}");
        assertThat(inView1.block().header().view()).isEqualTo(1);
        assertThat(inView3.block().header().view()).isEqualTo(3);
        assertThat(inView3.block().hash()).isEqualTo(inView1.block().hash());
        assertThat(verifier.problem(genesis.header(), inView1.block())).isEmpty();
        assertThat(verifier.problem(genesis.header(), inView3.block())).isEmpty();
        byte[] page = BlockCodec.encode(List.of(inView3.block()));
        Block decoded = BlockCodec.decode(page, 10, 10).get(0);
        assertThat(decoded.header()).isEqualTo(inView3.block().header());
        assertThat(decoded.certificate()).extracting(c -> c.message().view()).containsOnly(3L);
    }

    @Test
    void executedBlocksChainFromGenesisAndVerify() {
        Block genesis = Genesis.of(membership);
        ExecutedBlock b1 = next(genesis.header(), 1, 1000, 3, "{\"v\":1}", "[2]");
        ExecutedBlock b2 = next(b1.block().header(), 2, 1001, 4, "3");

        assertThat(b1.block().height()).isEqualTo(1);
        assertThat(b1.block().header().previousHash()).isEqualTo(genesis.hash());
        assertThat(b1.writes()).extracting(StateWrite::key).containsExactly("k0", "k1");
        assertThat(verifier.problem(genesis.header(), b1.block())).isEmpty();
        assertThat(verifier.problem(b1.block().header(), b2.block())).isEmpty();
    }

    /** Signed by the replicas' keys, as the replicas of {@code chain} sign. */
    private Signed<Commit> signedFor(Membership chain, int replica, Commit c) {
        return ReplicaSignatures.sign(Genesis.signingDomain(chain), replicaKeys.get(replica), c);
    }

    @Test
    void aCommitCertificateSignedForAnotherChainWithTheSameReplicaKeysDoesNotVerify() {
        Membership staging = new Membership("test-chain-staging", membership.replicas(), membership.clients());
        ExecutedBlock b1 = next(Genesis.of(membership).header(), 1, 1000, 3, "{\"v\":1}");
        BlockHeader h = b1.block().header();
        List<Signed<Commit>> own = new ArrayList<>();
        List<Signed<Commit>> staged = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Commit c = new Commit(r, h.view(), h.sequence(), h.batchDigest());
            own.add(signedFor(membership, r, c));
            staged.add(signedFor(staging, r, c));
        }
        assertThat(verifier.certificateProblem(h, own)).isEmpty();
        assertThat(verifier.certificateProblem(h, staged)).hasValueSatisfying(p -> assertThat(p).contains("does not verify"));
        assertThat(new ChainVerifier(staging).certificateProblem(h, staged)).isEmpty();
    }

    @Test
    void executionIsDeterministic() {
        Block genesis = Genesis.of(membership);
        ExecutedBlock a = next(genesis.header(), 1, 1000, 3, "{\"v\":1}");
        ExecutedBlock b = BlockExecutor.execute(genesis.header(), new OrderedBatch(0, 1, 1000, 0,
                a.block().header().batchDigest(), a.block().transactions().stream().map(Transaction::toRequest).toList(),
                a.block().certificate()));
        assertThat(b.block().hash()).isEqualTo(a.block().hash());
    }

    @Test
    void genesisDiffersBetweenClustersWithOtherReplicaKeys() {
        Block mine = Genesis.of(membership);
        List<Membership.Replica> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(new Membership.Replica(i, "http://x", Ed25519.PrivateKey.generate(random).publicKey()));
        }
        Block theirs = Genesis.of(new Membership("test-chain", others, List.of()));
        assertThat(theirs.hash()).isNotEqualTo(mine.hash());
    }

    @Test
    void certificateWithTwoSignersIsRejected() {
        Block genesis = Genesis.of(membership);
        ExecutedBlock b1 = next(genesis.header(), 1, 1000, 2, "1");
        assertThat(verifier.problem(genesis.header(), b1.block())).hasValueSatisfying(p -> assertThat(p).contains("distinct signers"));
    }

    @Test
    void forgedCertificateSignatureIsRejected() {
        Block genesis = Genesis.of(membership);
        Block good = next(genesis.header(), 1, 1000, 3, "1").block();
        List<Signed<Commit>> cert = new ArrayList<>(good.certificate());
        Signed<Commit> first = cert.get(0);
        byte[] sig = first.signature().clone();
        sig[0] ^= 1;
        cert.set(0, new Signed<>(first.message(), sig));
        Block forged = new Block(good.header(), good.hash(), good.transactions(), cert);
        assertThat(verifier.problem(genesis.header(), forged)).hasValueSatisfying(p -> assertThat(p).contains("does not verify"));
    }

    @Test
    void duplicatedCommitFromOneReplicaDoesNotCountTwice() {
        Block genesis = Genesis.of(membership);
        Block good = next(genesis.header(), 1, 1000, 3, "1").block();
        List<Signed<Commit>> cert = List.of(good.certificate().get(0), good.certificate().get(0), good.certificate().get(1));
        Block padded = new Block(good.header(), good.hash(), good.transactions(), cert);
        assertThat(verifier.problem(genesis.header(), padded)).isPresent();
    }

    @Test
    void aTamperedTransactionOrBrokenLinkIsFound() {
        Block genesis = Genesis.of(membership);
        Block b1 = next(genesis.header(), 1, 1000, 3, "{\"amount\":1}").block();
        Transaction original = b1.transactions().get(0);
        Transaction tampered = new Transaction(original.chainId(), original.clientId(), original.nonce(), original.key(),
                "{\"amount\":2}", original.signature());
        Block bad = new Block(b1.header(), b1.hash(), List.of(tampered), b1.certificate());
        assertThat(verifier.problem(genesis.header(), bad)).isPresent();

        Block b2 = next(b1.header(), 2, 1000, 3, "1").block();
        assertThat(verifier.problem(genesis.header(), b2)).hasValueSatisfying(p -> assertThat(p).contains("height"));
    }

    @Test
    void timestampBeforeThePreviousBlockIsRejected() {
        Block genesis = Genesis.of(membership);
        Block b1 = next(genesis.header(), 1, 5000, 3, "1").block();
        Block b2 = next(b1.header(), 2, 4000, 3, "2").block();
        assertThat(verifier.problem(b1.header(), b2)).hasValueSatisfying(p -> assertThat(p).contains("timestamp"));
    }
}
