package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.ReplicaSignatures;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a replica checks of its stored chain at start. */
class ChainAuditorTest {
    private final SecureRandom random = new SecureRandom();
    private final List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
    private final Ed25519.PrivateKey clientKey = Ed25519.PrivateKey.generate(random);
    private final Membership membership = membership();

    private Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicaKeys.add(Ed25519.PrivateKey.generate(random));
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9000 + i), replicaKeys.get(i).publicKey()));
        }
        return new Membership("audit", replicas,
                List.of(new Membership.Client("alice", clientKey.publicKey(), EnumSet.of(Role.SUBMIT))));
    }

    /** A store holding the genesis and one block whose COMMITs were signed under {@code domain}. */
    private InMemoryLedgerStore storeSignedUnder(SigningDomain domain) {
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        store.initialize(Genesis.of(membership));
        Transaction tx = Transaction.sign("audit", "alice", 1, "k", "1", clientKey);
        Digest digest = BatchDigest.of(1000, List.of(tx.requestId()));
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            certificate.add(ReplicaSignatures.sign(domain, replicaKeys.get(r), new Commit(r, 0, 1, digest)));
        }
        store.append(BlockExecutor.execute(Genesis.of(membership).header(),
                new OrderedBatch(0, 1, 1000, 0, digest, List.of(tx.toRequest()), certificate)));
        return store;
    }

    @Test
    void aStoredChainSignedForThisChainPassesTheStartCheck() {
        InMemoryLedgerStore store = storeSignedUnder(Genesis.signingDomain(membership));
        assertThat(new ChainAuditor(membership, store, store).newestCertificateProblem()).isEmpty();
        InMemoryLedgerStore fresh = new InMemoryLedgerStore();
        fresh.initialize(Genesis.of(membership));
        assertThat(new ChainAuditor(membership, fresh, fresh).newestCertificateProblem()).isEmpty();
    }

    @Test
    void aStoredChainWhoseCertificatesWereSignedUnderAnotherDomainIsFoundAtStart() {
        InMemoryLedgerStore store = storeSignedUnder(new SigningDomain(Digest.sha256(new byte[] {9})));
        assertThat(new ChainAuditor(membership, store, store).newestCertificateProblem())
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("block 1: ").contains("does not verify"));
    }
}
