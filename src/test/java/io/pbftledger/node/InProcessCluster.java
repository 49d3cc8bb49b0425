package io.pbftledger.node;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.core.MessageVerifier;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * Four complete replicas (driver thread, verifier, mempool, service) in one process, linked through
 * the wire codec and signature verification, with a mempool admission policy of the test's choice.
 * Clients are {@code client-0 .. client-<clients-1>}, all with the submit role.
 */
final class InProcessCluster implements AutoCloseable {
    static final int N = 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Node(ReplicaDriver driver, ReplicaService service, InMemoryLedgerStore store, InboundVerifier verifier) {
    }

    private final List<Ed25519.PrivateKey> clientKeys = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final ForkJoinPool pool = new ForkJoinPool(2);
    private final Membership membership;
    /** Encoded messages sent to replica {@link #recordFor}, while recording (bounded). */
    private final List<byte[]> recorded = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final int RECORDED_MAX_MESSAGES = 20_000;
    /** How long after a peer message passed the verifier a copy of it is dropped as replayed. */
    static final long REPLAY_WINDOW_MS = 500;
    private volatile int recordFor = -1;
    /** Every executed-request lookup of the cores: "thread clientId#nonce". */
    private final java.util.Queue<String> coreLookups = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile Links links = (from, to, message) -> true;
    private volatile Rewrite rewrite = (from, to, message) -> message;
    private final List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
    private final List<ClientRegistry> registries = new ArrayList<>();
    private final List<InMemoryCheckpointStore> checkpointStores = new ArrayList<>();
    private final List<ExecutorService> transferWorkers = new ArrayList<>();

    /** What a sender puts on one link instead of its message (a faulty replica's behaviour). */
    @FunctionalInterface
    interface Rewrite {
        Signed<? extends PbftMessage> apply(int from, int to, Signed<? extends PbftMessage> message);
    }

    /** Which sends arrive, judged by sender, receiver and message (a dead link, a primary starving a backup). */
    @FunctionalInterface
    interface Links {
        boolean delivers(int from, int to, Signed<? extends PbftMessage> message);
    }

    InProcessCluster(int clients, Supplier<ClientAdmission> admission) {
        this(clients, admission, 100_000, true);
    }

    /**
     * @param mempoolMaxTransactions each replica's mempool bound M; the primary queues n·M forwarded requests
     * @param start                  false: the consensus threads wait for {@link #start()} (nothing executes before)
     */
    InProcessCluster(int clients, Supplier<ClientAdmission> admission, int mempoolMaxTransactions, boolean start) {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Ed25519.PrivateKey key = Ed25519.PrivateKey.generate(RANDOM);
            replicaKeys.add(key);
            replicas.add(new Membership.Replica(i, "mem://" + i, key.publicKey()));
        }
        List<Membership.Client> members = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Ed25519.PrivateKey key = Ed25519.PrivateKey.generate(RANDOM);
            clientKeys.add(key);
            members.add(new Membership.Client("client-" + c, key.publicKey(), EnumSet.of(Role.SUBMIT, Role.READ)));
        }
        membership = new Membership("inproc", replicas, members);
        for (int i = 0; i < N; i++) {
            InMemoryLedgerStore store = new InMemoryLedgerStore();
            store.initialize(Genesis.of(membership));
            PendingTransactions pending = new PendingTransactions(mempoolMaxTransactions, System::currentTimeMillis,
                    PendingTransactions.DEFAULT_TTL_MILLIS, nanos -> { }, admission.get());
            ClientRegistry registry = new ClientRegistry(ClientMembership.genesis(membership),
                    new VerifiedTransactions(100_000));
            registries.add(registry);
            TransactionChecks checks = new TransactionChecks(registry);
            // As a replica is wired: nested signatures checked by the verifier stage, once per message.
            InboundVerifier verifier = new InboundVerifier(membership, i, checks, pool, 500, 8 << 20,
                    new InboundVerifier.Defences(InboundVerifier.membershipKeys(membership),
                            new VerifiedMessages(50_000, REPLAY_WINDOW_MS, System::currentTimeMillis), PeerBudget.unlimited(),
                            store::priorExecution));
            ReplicaConfig config = ReplicaConfig.builder(i, N)
                    .checkpoints(20, 40)
                    .batches(500, 8 << 20, 5)
                    .timestampSkewMs(5_000)
                    .retransmitIntervalMs(300)
                    .build()
                    .withProposalQueueMaxRequests(N * mempoolMaxTransactions);
            Replica replica = new Replica(config, Genesis.signingDomain(membership), replicaKeys.get(i)::sign,
                    MessageVerifier.CHECKED_BEFORE_STEP,
                    (clientId, nonce) -> {
                        coreLookups.add(Thread.currentThread().getName() + " " + clientId + "#" + nonce);
                        return store.findByClientNonce(clientId, nonce).isPresent();
                    }, RecoveredState.fresh());
            PeerOutbox outbox = new Loopback(i);
            MemoryJournal journal = new MemoryJournal();
            Digest clientsDigest = io.pbftledger.chain.ClientMembership.genesis(membership).digest();
            InMemoryCheckpointStore checkpointStore = new InMemoryCheckpointStore();
            checkpointStores.add(checkpointStore);
            CheckpointKeeper keeper = new CheckpointKeeper(checkpointStore, new JournalCompaction(), () -> clientsDigest,
                    config.checkpointInterval(), 0);
            ReplicaDriver driver = new ReplicaDriver(replica, outbox, journal, new BatchApplier(store, registry, pending, List.of()),
                    keeper, System::currentTimeMillis, 100_000, 5);
            nodes.add(new Node(driver, new ReplicaService(membership, checks, pending, store, store, driver, outbox,
                    new DropCounters(), false), store, verifier));
        }
        if (start) {
            start();
        }
    }

    /** Starts the consensus threads (once). */
    void start() {
        nodes.forEach(n -> n.driver().start());
    }

    /** From now on every send goes through {@code rewrite} first. */
    void rewrite(Rewrite rewrite) {
        this.rewrite = rewrite;
    }

    /** {@code message} signed with replica {@code replica}'s key (a faulty replica signs what it likes). */
    <T extends PbftMessage> Signed<T> signAs(int replica, T message) {
        return new Signed<>(message, replicaKeys.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), message)));
    }

    /**
     * Connects each replica's state transfer (catch-up from the others' stored blocks and checkpoints,
     * as over HTTP); only for a cluster built with {@code start = false}, before {@link #start()}.
     */
    void attachStateTransfer() {
        for (int i = 0; i < N; i++) {
            Node node = nodes.get(i);
            InMemoryLedgerStore store = node.store();
            ExecutorService worker = Executors.newSingleThreadExecutor();
            transferWorkers.add(worker);
            node.driver().attach(new StateTransfer(membership, i, new StoredChains(), worker,
                    node.driver()::deliverFetched, registries.get(i)::current, 50,
                    (clientId, nonce, height) -> store.findByClientNonce(clientId, nonce)
                            .filter(stored -> stored.blockHeight() <= height).isPresent(),
                    () -> store.latestHeader().height()));
        }
    }

    /** From now on only the sends {@code links} lets through arrive. */
    void links(Links links) {
        this.links = links;
    }

    /** Starts keeping a copy of every message sent to replica {@code target}. */
    void record(int target) {
        recordFor = target;
    }

    /** The messages recorded so far, in the order they were sent. */
    List<byte[]> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The cores' executed-request lookups so far ("thread clientId#nonce"). */
    List<String> coreLookups() {
        return List.copyOf(coreLookups);
    }

    /** {@code m} signed with replica {@code replica}'s key. */
    <T extends PbftMessage> Signed<T> sign(int replica, T m) {
        return new Signed<>(m, replicaKeys.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), m)));
    }

    Membership membership() {
        return membership;
    }

    Node node(int i) {
        return nodes.get(i);
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    Transaction tx(int client, long nonce, String payload) {
        return Transaction.sign("inproc", "client-" + client, nonce, null, payload, clientKeys.get(client));
    }

    @Override
    public void close() {
        nodes.forEach(n -> n.driver().close());
        transferWorkers.forEach(ExecutorService::shutdownNow);
        pool.shutdownNow();
    }

    /** The other replicas' stored blocks and checkpoints, as their peer endpoints serve them. */
    private final class StoredChains implements PeerFetcher {
        @Override
        public List<Block> blocks(int peer, long fromHeight, int limit) {
            return nodes.get(peer).store().blocksBetween(fromHeight, fromHeight + limit - 1);
        }

        @Override
        public Optional<StoredCheckpoint> latestCheckpoint(int peer) {
            return checkpointStores.get(peer).latest();
        }
    }

    /** Delivers to the peers' drivers through the codec and the peers' verifiers. */
    private final class Loopback implements PeerOutbox {
        private final int self;

        Loopback(int self) {
            this.self = self;
        }

        @Override
        public void send(int to, Signed<? extends PbftMessage> message) {
            message = rewrite.apply(self, to, message);
            if (!links.delivers(self, to, message)) {
                return;
            }
            Node target = nodes.get(to);
            byte[] bytes = MessageCodec.encode(message);
            if (to == recordFor && recorded.size() < RECORDED_MAX_MESSAGES) {
                recorded.add(bytes);
            }
            @SuppressWarnings("unchecked")
            Signed<? extends PbftMessage> decoded = (Signed<? extends PbftMessage>) MessageCodec.decode(bytes);
            InboundVerifier.Verdict verdict = target.verifier().verify(decoded);
            if (verdict.accepted()) {
                target.driver().offer(verdict.message());
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
}
