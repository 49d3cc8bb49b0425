package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.core.RecoveredState;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaConfig;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Four complete replicas (driver thread, verifier, pending set, service) in one process, linked by
 * an in-memory outbox that still goes through the wire codec and signature verification. It
 * checks the node layer end to end without HTTP; the real-process cluster test covers HTTP.
 */
class InProcessClusterTest {
    private static final int N = 4;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<Ed25519.PrivateKey> CLIENT_KEYS = new ArrayList<>();
    private static final List<Node> NODES = new ArrayList<>();
    private static final List<InMemoryCheckpointStore> CHECKPOINTS = new ArrayList<>();
    private static final List<ClientRegistry> REGISTRIES = new ArrayList<>();
    private static Membership membership;
    private static ForkJoinPool pool;

    private record Node(ReplicaDriver driver, ReplicaService service, InMemoryLedgerStore store, InboundVerifier verifier) {
    }

    /** Delivers to the peers' drivers through the codec and the peers' verifiers. */
    private static final class LoopbackOutbox implements PeerOutbox {
        private final int self;

        LoopbackOutbox(int self) {
            this.self = self;
        }

        @Override
        public void send(int to, Signed<? extends PbftMessage> message) {
            Node target = NODES.get(to);
            @SuppressWarnings("unchecked")
            Signed<? extends PbftMessage> decoded = (Signed<? extends PbftMessage>) MessageCodec.decode(MessageCodec.encode(message));
            if (target.verifier().reject(decoded).isEmpty()) {
                target.driver().offer(decoded);
            }
        }

        @Override
        public void broadcast(Signed<? extends PbftMessage> message) {
            for (int i = 0; i < N; i++) {
                if (i != self) {
                    send(i, message);
                }
            }
        }

        @Override
        public List<ConsensusInfo.PeerInfo> peers() {
            return List.of();
        }
    }

    @BeforeAll
    static void startCluster() {
        pool = new ForkJoinPool(2);
        List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Ed25519.PrivateKey key = Ed25519.PrivateKey.generate(RANDOM);
            replicaKeys.add(key);
            replicas.add(new Membership.Replica(i, "mem://" + i, key.publicKey()));
        }
        List<Membership.Client> clients = new ArrayList<>();
        // client-0 administers the client membership; client-3 is revoked and client-4 added by a test.
        for (int c = 0; c < 5; c++) {
            Ed25519.PrivateKey key = Ed25519.PrivateKey.generate(RANDOM);
            CLIENT_KEYS.add(key);
            if (c < 4) {
                clients.add(new Membership.Client("client-" + c, key.publicKey(), c == 0
                        ? EnumSet.of(Role.SUBMIT, Role.READ, Role.ADMIN)
                        : c == 2 ? EnumSet.of(Role.READ) : EnumSet.of(Role.SUBMIT, Role.READ)));
            }
        }
        membership = new Membership("inproc", replicas, clients);
        for (int i = 0; i < N; i++) {
            InMemoryLedgerStore store = new InMemoryLedgerStore();
            store.initialize(Genesis.of(membership));
            PendingTransactions pending = new PendingTransactions(10_000);
            ClientRegistry registry = new ClientRegistry(ClientMembership.genesis(membership), new VerifiedTransactions(10_000));
            REGISTRIES.add(registry);
            TransactionChecks checks = new TransactionChecks(registry);
            InboundVerifier verifier = new InboundVerifier(membership, i, checks, pool, 100, 8 << 20);
            ReplicaConfig config = ReplicaConfig.builder(i, N)
                    .checkpoints(10, 20)
                    .batches(10, 8 << 20, 5)
                    .timestampSkewMs(5_000)
                    .retransmitIntervalMs(300)
                    .build();
            Replica replica = new Replica(config, Genesis.signingDomain(membership), replicaKeys.get(i)::sign,
                    (replicaId, bytes, signature) -> replicaId >= 0 && replicaId < N
                            && membership.replica(replicaId).publicKey().verify(bytes, signature),
                    (clientId, nonce) -> store.findByClientNonce(clientId, nonce).isPresent(), RecoveredState.fresh());
            PeerOutbox outbox = new LoopbackOutbox(i);
            MemoryJournal journal = new MemoryJournal();
            InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
            CHECKPOINTS.add(checkpoints);
            CheckpointKeeper keeper = new CheckpointKeeper(checkpoints, new JournalCompaction(), () -> registry.current().digest(),
                    config.checkpointInterval(), 0);
            ReplicaDriver driver = new ReplicaDriver(replica, outbox, journal, new BatchApplier(store, registry, pending, List.of()),
                    keeper, System::currentTimeMillis, 10_000, 5);
            NODES.add(new Node(driver, new ReplicaService(membership, checks, pending, store, store, driver, outbox, new DropCounters(), false), store, verifier));
        }
        NODES.forEach(n -> n.driver().start());
    }

    @AfterAll
    static void stopCluster() {
        NODES.forEach(n -> n.driver().close());
        pool.shutdownNow();
    }

    private static Transaction tx(int client, long nonce, String payload) {
        return Transaction.sign("inproc", "client-" + client, nonce, "key-" + (nonce % 7), payload, CLIENT_KEYS.get(client));
    }

    @Test
    void transactionsSubmittedToAnyReplicaCommitOnceAndEveryReplicaHoldsTheSameChain() throws Exception {
        List<CompletableFuture<SubmitResult>> futures = new ArrayList<>();
        Set<Digest> ids = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Transaction t = tx(i % 2, 1_000 + i, "{\"i\":" + i + "}");
            ReplicaService service = NODES.get(i % N).service();
            assertThat(service.submit(t).status()).isEqualTo(TxStatus.PENDING);
            futures.add(service.whenCommitted(t.txId()));
            ids.add(t.txId());
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        // Each future completed at the replica it was submitted to; the others may still be behind.
        long height = NODES.stream().mapToLong(n -> n.store().latestHeader().height()).max().orElseThrow();
        waitUntil(() -> NODES.stream().allMatch(n -> n.store().latestHeader().height() >= height));
        List<Digest> reference = NODES.get(0).store().blockHashes();
        for (Node node : NODES) {
            assertThat(node.store().blockHashes().subList(0, reference.size())).isEqualTo(reference);
            assertThat(node.service().verifyChain().valid()).isTrue();
        }
        Set<Digest> committed = new HashSet<>();
        int count = 0;
        for (long h = 1; h <= height; h++) {
            for (Transaction t : NODES.get(0).store().blockByHeight(h).orElseThrow().transactions()) {
                committed.add(t.txId());
                count++;
            }
        }
        assertThat(committed).containsAll(ids);
        assertThat(count).as("no transaction is executed twice").isEqualTo(committed.size());

        // 300 transactions in batches of at most 10 with checkpoints every 10 sequences: at least one
        // checkpoint became stable, each replica stored the same one with a 2f+1 proof, journals were compacted.
        waitUntil(() -> CHECKPOINTS.stream().allMatch(c -> c.latest().isPresent()));
        StoredCheckpoint oldest = CHECKPOINTS.get(0).recent(1000).get(CHECKPOINTS.get(0).recent(1000).size() - 1);
        for (InMemoryCheckpointStore store : CHECKPOINTS) {
            StoredCheckpoint first = store.recent(1000).get(store.recent(1000).size() - 1);
            assertThat(first.sequence()).isEqualTo(oldest.sequence());
            assertThat(first.stateDigest()).isEqualTo(oldest.stateDigest());
            assertThat(first.proof()).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void resubmittingACommittedTransactionAnywhereReturnsItsLocationAndANonceReuseIsAConflict() throws Exception {
        Transaction t = tx(0, 5, "{\"once\":true}");
        NODES.get(1).service().submit(t);
        SubmitResult first = NODES.get(1).service().whenCommitted(t.txId()).get(30, TimeUnit.SECONDS);
        // Every replica stores it (the conflict below is asked of replica 2, which never saw it pending).
        waitUntil(() -> NODES.stream().allMatch(n -> n.store().transaction(t.txId()).isPresent()));

        SubmitResult again = NODES.get(3).service().submit(t);
        assertThat(again.status()).isEqualTo(TxStatus.COMMITTED);
        assertThat(again.blockHeight()).isEqualTo(first.blockHeight());
        assertThat(again.blockHash()).isEqualTo(first.blockHash());

        Transaction sameNonce = tx(0, 5, "{\"once\":false}");
        assertThatThrownBy(() -> NODES.get(2).service().submit(sameNonce))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    }

    @Test
    void forgedUnknownAndUnpermittedClientsAreRefusedBeforeAnythingIsQueued() {
        Transaction good = tx(0, 77, "1");
        Transaction forged = new Transaction(good.chainId(), good.clientId(), good.nonce(), good.key(), "2", good.signature());
        assertThatThrownBy(() -> NODES.get(0).service().submit(forged))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_SIGNATURE));

        Transaction stranger = Transaction.sign("inproc", "mallory", 1, null, "1", Ed25519.PrivateKey.generate(RANDOM));
        assertThatThrownBy(() -> NODES.get(0).service().submit(stranger))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));

        Transaction readOnly = tx(2, 1, "1");
        assertThatThrownBy(() -> NODES.get(0).service().submit(readOnly))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));

        Transaction otherChain = Transaction.sign("elsewhere", "client-0", 1, null, "1", CLIENT_KEYS.get(0));
        assertThatThrownBy(() -> NODES.get(0).service().submit(otherChain))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
        assertThat(NODES.get(0).service().consensus().pendingTransactions()).isZero();
    }

    private static Transaction membershipOp(long nonce, String payload) {
        return Transaction.sign("inproc", "client-0", nonce, MembershipOp.KEY, payload, CLIENT_KEYS.get(0));
    }

    private static SubmitResult commit(int replica, Transaction t) throws Exception {
        NODES.get(replica).service().submit(t);
        return NODES.get(replica).service().whenCommitted(t.txId()).get(30, TimeUnit.SECONDS);
    }

    private static void assertRefused(Transaction t, int replica, ErrorKind kind, String detail) {
        assertThatThrownBy(() -> NODES.get(replica).service().submit(t)).isInstanceOfSatisfying(LedgerException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).isEqualTo(detail);
        });
    }

    @Test
    void aRevokedClientIsRefusedFromTheNextBlockOnByEveryReplicaAtAdmissionAndAtExecution() throws Exception {
        Transaction before = tx(3, 1, "{\"before\":true}");
        commit(2, before);

        SubmitResult revoked = commit(1, membershipOp(900, "{\"op\":\"revoke\",\"clientId\":\"client-3\"}"));
        waitUntil(() -> REGISTRIES.stream().allMatch(r -> r.current().client("client-3").isEmpty()));
        for (ClientRegistry registry : REGISTRIES) {
            assertThat(registry.current().height()).as("every replica applied it at the same height")
                    .isEqualTo(revoked.blockHeight());
            assertThat(registry.current()).isEqualTo(REGISTRIES.get(0).current());
        }
        for (int i = 0; i < N; i++) {
            assertRefused(tx(3, 2 + i, "{\"after\":true}"), i, ErrorKind.FORBIDDEN,
                    "client 'client-3' is not a member of this ledger");
        }

        // A request that reaches consensus anyway (here: straight into the core, as a faulty replica
        // could relay it) is ordered, then refused by execution at the same height everywhere.
        Transaction forced = Transaction.sign("inproc", "client-3", 50, "revoked-write", "1", CLIENT_KEYS.get(3));
        int primary = NODES.get(0).driver().status().primary();
        assertThat(NODES.get(primary).driver().submit(forced.toRequest())).isTrue();
        waitUntil(() -> NODES.stream().allMatch(n -> n.store().transaction(forced.txId()).isPresent()));
        long height = NODES.get(0).store().transaction(forced.txId()).orElseThrow().blockHeight();
        assertThat(height).isGreaterThan(revoked.blockHeight());
        for (Node node : NODES) {
            assertThat(node.store().transaction(forced.txId()).orElseThrow().blockHeight()).isEqualTo(height);
            assertThat(node.store().state("revoked-write")).as("the refused write changed nothing").isEmpty();
            assertThat(node.store().blockByHeight(height).orElseThrow().hash())
                    .isEqualTo(NODES.get(0).store().blockByHeight(height).orElseThrow().hash());
            assertThat(node.service().verifyChain().valid()).isTrue();
        }

        // Checkpoints taken after the change sign the client membership in effect, not the file's.
        long forcedSequence = NODES.get(0).store().blockByHeight(height).orElseThrow().header().sequence();
        // One at a time, so each takes its own sequence and a checkpoint interval (10) is passed.
        for (int i = 0; i < 11; i++) {
            commit(i % N, tx(1, 5_000 + i, "{\"push\":" + i + "}"));
        }
        waitUntil(() -> CHECKPOINTS.stream().allMatch(c -> c.latest().map(cp -> cp.sequence() > forcedSequence).orElse(false)));
        for (int i = 0; i < N; i++) {
            StoredCheckpoint cp = CHECKPOINTS.get(i).latest().orElseThrow();
            io.pbftledger.pbft.message.Digest blockHash = NODES.get(i).store().headerAtOrBelowSequence(cp.sequence()).hash();
            assertThat(cp.stateDigest()).isEqualTo(io.pbftledger.chain.CheckpointDigest.of(cp.sequence(), blockHash,
                    REGISTRIES.get(i).current().digest()));
            assertThat(cp.stateDigest()).isNotEqualTo(io.pbftledger.chain.CheckpointDigest.of(cp.sequence(), blockHash,
                    io.pbftledger.chain.ClientMembership.genesis(membership).digest()));
        }
    }

    @Test
    void anAddedClientMaySubmitEverywhereOnceTheAddCommittedAndInvalidChangesAreRefusedAtAdmission() throws Exception {
        String addClient4 = "{\"op\":\"add\",\"clientId\":\"client-4\",\"publicKey\":\""
                + CLIENT_KEYS.get(4).publicKey().toBase64() + "\",\"roles\":[\"submit\"]}";
        Transaction byNonAdmin = Transaction.sign("inproc", "client-1", 901, MembershipOp.KEY, addClient4, CLIENT_KEYS.get(1));
        assertRefused(byNonAdmin, 0, ErrorKind.FORBIDDEN,
                "client 'client-1' lacks the admin role that membership changes (key ledger:membership) need");
        assertRefused(membershipOp(902, "{\"op\":\"revoke\",\"clientId\":\"nobody\"}"), 0, ErrorKind.INVALID,
                "client 'nobody' is not a member");
        assertRefused(membershipOp(903, "{\"op\":\"revoke\",\"clientId\":\"client-0\"}"), 0, ErrorKind.INVALID,
                "client 'client-0' is the last admin; add or promote another admin first");
        assertRefused(membershipOp(904, "{\"op\":\"add\",\"clientId\":\"x\",\"publicKey\":\"AAAA\",\"roles\":[\"read\"]}"),
                0, ErrorKind.INVALID, "membership payload publicKey is not a base64 Ed25519 public key of 32 bytes: "
                        + "an Ed25519 public key is 32 bytes");
        Transaction early = Transaction.sign("inproc", "client-4", 1, "k4", "1", CLIENT_KEYS.get(4));
        assertRefused(early, 3, ErrorKind.FORBIDDEN, "client 'client-4' is not a member of this ledger");

        SubmitResult added = commit(2, membershipOp(905, addClient4));
        waitUntil(() -> REGISTRIES.stream().allMatch(r -> r.current().client("client-4").isPresent()));
        for (ClientRegistry registry : REGISTRIES) {
            assertThat(registry.current().client("client-4").orElseThrow().since()).isEqualTo(added.blockHeight());
            assertThat(registry.current().digest()).isEqualTo(REGISTRIES.get(0).current().digest());
        }
        SubmitResult committed = commit(3, early);
        assertThat(committed.status()).isEqualTo(TxStatus.COMMITTED);
        waitUntil(() -> NODES.stream().allMatch(n -> n.store().state("k4").isPresent()));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached in 30 s");
            }
            Thread.sleep(20);
        }
    }
}
