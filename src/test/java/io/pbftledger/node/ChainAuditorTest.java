package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerQueries;
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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a replica checks of its stored chain: at start, and when an admin asks (one at a time, incrementally). */
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
        appendBlock(store, domain, "1");
        return store;
    }

    /** Appends the next block (alice writes {@code value} to k) to {@code store}, certified under {@code domain}. */
    private void appendBlock(InMemoryLedgerStore store, SigningDomain domain, String value) {
        long sequence = store.latestHeader().height() + 1;
        Transaction tx = Transaction.sign("audit", "alice", sequence, "k", value, clientKey);
        Digest digest = BatchDigest.of(1000 * sequence, List.of(tx.requestId()));
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            certificate.add(ReplicaSignatures.sign(domain, replicaKeys.get(r), new Commit(r, 0, sequence, digest)));
        }
        store.append(BlockExecutor.execute(store.latestHeader(),
                new OrderedBatch(0, sequence, 1000 * sequence, 0, digest, List.of(tx.toRequest()), certificate)));
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

    /** {@code store}'s queries, counting blocksBetween calls and holding each until {@code release} opens. */
    private static LedgerQueries counting(InMemoryLedgerStore store, AtomicInteger pages, CountDownLatch entered,
                                          CountDownLatch release) {
        return counting(store, pages, new ArrayList<>(), entered, release);
    }

    /** As above, also noting the first height of every page asked for in {@code froms}. */
    private static LedgerQueries counting(InMemoryLedgerStore store, AtomicInteger pages, List<Long> froms,
                                          CountDownLatch entered, CountDownLatch release) {
        return (LedgerQueries) Proxy.newProxyInstance(LedgerQueries.class.getClassLoader(), new Class<?>[] {LedgerQueries.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("blocksBetween")) {
                        pages.incrementAndGet();
                        froms.add((Long) args[0]);
                        entered.countDown();
                        // bounded: a test whose second verification is not refused still ends
                        release.await(10, TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aSecondVerificationContinuesFromWhatTheFirstVerified() {
        InMemoryLedgerStore store = storeSignedUnder(Genesis.signingDomain(membership));
        AtomicInteger pages = new AtomicInteger();
        ChainAuditor auditor = new ChainAuditor(membership, counting(store, pages, new CountDownLatch(0), new CountDownLatch(0)), store);

        ChainCheck first = auditor.verify();
        int pagesOfFirst = pages.get();
        ChainCheck second = auditor.verify();

        assertThat(first.valid()).isTrue();
        assertThat(pagesOfFirst).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(pages.get()).as("no block read again").isEqualTo(pagesOfFirst);
    }

    @Test
    void aVerificationAfterNewBlocksChecksOnlyTheNewOnes() {
        SigningDomain domain = Genesis.signingDomain(membership);
        InMemoryLedgerStore store = storeSignedUnder(domain);
        List<Long> froms = new ArrayList<>();
        ChainAuditor auditor = new ChainAuditor(membership,
                counting(store, new AtomicInteger(), froms, new CountDownLatch(0), new CountDownLatch(0)), store);
        assertThat(auditor.verify().valid()).isTrue();
        appendBlock(store, domain, "2");
        appendBlock(store, domain, "3");

        ChainCheck check = auditor.verify();

        assertThat(check).isEqualTo(new ChainCheck(true, 3, 4, null, null));
        assertThat(froms).as("first heights of the pages read").containsExactly(1L, 2L);
    }

    @Test
    void aVerificationStartsAgainFromGenesisWhenTheVerifiedTipIsNoLongerStored() {
        AtomicReference<InMemoryLedgerStore> database = new AtomicReference<>(
                storeSignedUnder(Genesis.signingDomain(membership)));
        ChainAuditor auditor = new ChainAuditor(membership, switchable(database, LedgerQueries.class),
                switchable(database, BlockStore.class));
        assertThat(auditor.verify().valid()).isTrue();
        // another block 1 under the auditor (a restored database), certified under another domain
        InMemoryLedgerStore restored = new InMemoryLedgerStore();
        restored.initialize(Genesis.of(membership));
        appendBlock(restored, new SigningDomain(Digest.sha256(new byte[] {9})), "7");
        database.set(restored);

        ChainCheck check = auditor.verify();

        assertThat(check.valid()).isFalse();
        assertThat(check.firstBadHeight()).isEqualTo(1L);
        assertThat(check.checkedBlocks()).isEqualTo(1);
    }

    /** {@code type} answered by whichever store {@code database} holds at the call. */
    private static <T> T switchable(AtomicReference<InMemoryLedgerStore> database, Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                return method.invoke(database.get(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    @Test
    void aVerificationWhileAnotherRunsIsRefusedWithARetryTime() throws Exception {
        InMemoryLedgerStore store = storeSignedUnder(Genesis.signingDomain(membership));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ChainAuditor auditor = new ChainAuditor(membership, counting(store, new AtomicInteger(), entered, release), store);
        CompletableFuture<ChainCheck> running = CompletableFuture.supplyAsync(auditor::verify);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        Throwable refused = catchThrowable(auditor::verify);
        release.countDown();

        assertThat(refused).isInstanceOf(RateLimitedException.class)
                .hasMessage("one chain verification runs at a time and one is running; retry in "
                        + ChainAuditor.BUSY_RETRY_AFTER_SECONDS + " s");
        assertThat(((RateLimitedException) refused).retryAfterSeconds()).isEqualTo(ChainAuditor.BUSY_RETRY_AFTER_SECONDS);
        assertThat(((RateLimitedException) refused).scope()).isEqualTo(RateLimitedException.Scope.REPLICA);
        assertThat(running.get(10, TimeUnit.SECONDS).valid()).isTrue();
    }
}
