package io.pbftledger.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.pbftledger.chain.Block;
import io.pbftledger.config.metrics.CommitLatency;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ClientMembershipStore;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.ReplicaSignatures;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.node.ReplicaDirectory;
import io.pbftledger.node.ReplicaKeyRing;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.node.AdmissionBound;
import io.pbftledger.node.BatchApplier;
import io.pbftledger.node.JournalCompaction;
import io.pbftledger.node.PeerFetcher;
import io.pbftledger.node.StateTransfer;
import io.pbftledger.node.ThreadFailures;
import io.pbftledger.node.StoredCheckpoint;
import io.pbftledger.pbft.core.MessageVerifier;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.transport.HttpPeerFetcher;
import io.pbftledger.transport.LyingBlockPages;
import io.pbftledger.transport.PeerBlockPages;
import io.pbftledger.transport.PeerStateController;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.pbftledger.node.ChainAuditor;
import io.pbftledger.node.CheckpointKeeper;
import io.pbftledger.node.EpochProofs;
import io.pbftledger.node.CheckpointStore;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.node.ConsensusJournal;
import io.pbftledger.storage.FileConsensusJournal;
import io.pbftledger.api.ApiProperties;
import io.pbftledger.node.ClientAdmission;
import io.pbftledger.node.DropCounters;
import io.pbftledger.node.InboundVerifier;
import io.pbftledger.node.PeerBudget;
import io.pbftledger.node.VerifiedMessages;
import io.pbftledger.node.PendingTransactions;
import io.pbftledger.node.ReplicaDriver;
import io.pbftledger.node.ReplicaService;
import io.pbftledger.node.TransactionChecks;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.pbft.core.RecoveredState;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaConfig;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.transport.HttpPeerOutbox;
import io.pbftledger.transport.PeerHttpClients;
import io.pbftledger.transport.PeerBodyLimits;
import io.pbftledger.transport.PeerLimits;
import io.pbftledger.transport.PeerRequestAuthenticator;
import io.pbftledger.transport.PeerRequestSigner;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires one replica: membership and key, the pure core, its driver thread, transport and service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LedgerProperties.class)
public class NodeConfiguration {
    /** How often the driver ticks the core. */
    static final long TICK_INTERVAL_MS = 10;
    /** Bound of the consensus thread's input queue. */
    static final int DRIVER_QUEUE_MAX_EVENTS = 100_000;
    /** Blocks state transfer asks one peer for at a time (the peer may cut the page by bytes). */
    static final int STATE_TRANSFER_PAGE_BLOCKS = 50;

    /** Loads and cross-checks the membership, the replica key and the demo identities, or stops with one message. */
    @Bean
    StartupCheck.Verified verifiedConfiguration(LedgerProperties props, org.springframework.core.env.Environment environment) {
        StartupCheck.checkDemoExposure(props.demo().enabled(), environment.getProperty("ledger.tls.enabled", Boolean.class, false),
                environment.getProperty("server.address"));
        StartupCheck.checkClosedReads(environment.getProperty("ledger.api.reads"),
                environment.getProperty("ledger.tls.enabled", Boolean.class, false));
        StartupCheck.checkClosedReadsActuator(environment.getProperty("ledger.api.reads"), ActuatorOnApiPort.of(environment));
        return StartupCheck.verify(props);
    }

    @Bean
    Membership membership(StartupCheck.Verified verified) {
        return verified.membership();
    }

    @Bean
    Ed25519.PrivateKey replicaKey(StartupCheck.Verified verified) {
        return verified.replicaKey().privateKey();
    }

    /** Client identities the demo-only signing endpoint signs with (empty outside the demo). */
    @Bean
    List<ClientIdentity> demoIdentities(StartupCheck.Verified verified) {
        return verified.demoIdentities();
    }

    @Bean
    ReplicaConfig replicaConfig(LedgerProperties props, Membership membership) {
        return ReplicaConfig.builder(props.replicaId(), membership.n())
                .checkpoints(props.checkpointInterval(), props.watermarkWindow())
                .batches(props.batch().maxTransactions(), props.batch().maxBytes(), props.batch().maxDelayMs())
                .timestampSkewMs(props.timestampSkewMs())
                .retransmitIntervalMs(props.retransmitIntervalMs())
                .viewChangeTimeoutMs(props.viewChangeTimeoutMs())
                .proposalQueueMaxRequests(props.mempool().proposalQueueMaxRequests(membership.n()))
                .batchPipelineDepth(props.batch().pipelineDepth())
                .rejoinPeriodMs(props.effectiveRejoinPeriodMs())
                .build();
    }

    @Bean
    VerifiedTransactions verifiedTransactions(LedgerProperties props) {
        return new VerifiedTransactions(props.verify().cacheMaxEntries());
    }

    /**
     * The client membership after the stored chain's newest block; on a new chain (or one from before
     * client membership was stored) the membership file's clients, stored as the height-0 membership.
     */
    @Bean
    ClientRegistry clientRegistry(Membership membership, LedgerProperties props, BlockStore store,
                                  ClientMembershipStore clientStore, VerifiedTransactions verified) {
        store.initialize(Genesis.of(membership));
        return new ClientRegistry(clientStore.loadOrInitialize(genesisMembership(membership, props)), verified,
                store.latestHeader().sequence());
    }

    @Bean
    EpochProofs epochProofs(Membership membership, LedgerProperties props, CheckpointStore checkpoints, BlockStore store,
                            ClientMembershipStore clientStore) {
        return EpochProofs.stored(checkpoints, store, clientStore, genesisMembership(membership, props));
    }

    /** The membership file's clients and replicas, replica-set changes taking effect at this replica's checkpoints. */
    private static ClientMembership genesisMembership(Membership membership, LedgerProperties props) {
        return ClientMembership.genesis(membership, props.checkpointInterval());
    }

    @Bean
    TransactionChecks transactionChecks(ClientRegistry clients) {
        return new TransactionChecks(clients);
    }

    @Bean
    PendingTransactions pendingTransactions(LedgerProperties props, ApiProperties api, Membership membership,
                                            ObjectProvider<MeterRegistry> registry) {
        ApiProperties.RateLimit rate = api.rateLimit();
        LedgerProperties.Mempool mempool = props.mempool();
        AdmissionBound bound = mempool.adaptToRate()
                ? new AdmissionBound(mempool.maxTransactions(), LedgerProperties.Mempool.ADAPTIVE_FLOOR,
                        membership.replicas().size(), Math.max(1, props.viewChangeTimeoutMs() / 2),
                        System::currentTimeMillis)
                : AdmissionBound.fixed(mempool.maxTransactions());
        return new PendingTransactions(bound, CommitLatency.recorder(registry.getIfAvailable()),
                ClientAdmission.of(rate.transactions(), rate.pendingMaxPerClient(), System::nanoTime));
    }

    @Bean
    DropCounters dropCounters() {
        return new DropCounters();
    }

    @Bean(destroyMethod = "shutdown")
    ForkJoinPool verifierPool(LedgerProperties props) {
        return new ForkJoinPool(props.verify().poolSize(Runtime.getRuntime().availableProcessors()));
    }

    /** What each peer may make this replica do per second (ledger.peer.budget-*). */
    @Bean
    PeerBudget peerBudget(LedgerProperties props, Membership membership) {
        LedgerProperties.Peer peer = props.peer();
        return new PeerBudget(new PeerBudget.Limits(peer.budgetMessagesPerSecond(), peer.budgetBytesPerSecond(),
                peer.budgetSignatureChecksPerSecond()), ReplicaRoster.REPLICAS_MAX);
    }

    /** The replicas by epoch as the live roster (after the newest stored block) knows them: keys and URLs. */
    @Bean
    ReplicaDirectory replicaDirectory(ClientRegistry clients) {
        return new ReplicaDirectory(() -> clients.current().replicas());
    }

    /**
     * This replica's keys: the one it started with, and the key file read again when a block rotates
     * its key; each message signed with the key of its epoch.
     */
    @Bean
    ReplicaKeyRing replicaKeyRing(LedgerProperties props, Ed25519.PrivateKey replicaKey, ReplicaDirectory directory,
                                  ClientRegistry clients) {
        java.nio.file.Path keyFile = java.nio.file.Path.of(props.keyFile());
        return new ReplicaKeyRing(props.replicaId(), replicaKey, directory,
                () -> KeyFiles.loadReplicaKey(keyFile).privateKey(), clients::executedSequence);
    }

    /**
     * Follows replica-set changes as blocks are stored (on the execution thread, before the core hears
     * of the change): a rotation of this replica's key loads the new key, and the peer channels follow
     * the replicas of the newest two epochs.
     */
    @Bean
    Consumer<Block> replicaSetWatcher(ClientRegistry clients, ReplicaKeyRing keys, ReplicaDirectory directory,
                                      HttpPeerOutbox outbox, PeerLimits peerLimits) {
        return block -> {
            List<ReplicaRoster.Change> changes = clients.current().replicas().changesInBlock(block.height());
            if (changes.isEmpty()) {
                return;
            }
            changes.forEach(keys::replicaSetChanged);
            // before the new epoch's first NEW-VIEW can exist: it holds a quorum of the larger set's VIEW-CHANGEs
            if (peerLimits.grow(directory.largestRecentSet())) {
                LoggerFactory.getLogger(PeerLimits.class).info("peer limits sized for {} replicas: largest body {} bytes",
                        peerLimits.setSize(), peerLimits.bodies().largest());
            }
            outbox.update(directory.recentMembers());
            LoggerFactory.getLogger(ReplicaKeyRing.class).info("block {} changed the replica set: {}", block.height(), changes.stream()
                    .map(c -> c.op().label() + " replica " + c.op().replicaId() + " from sequence " + (c.boundary() + 1)
                            + " (epoch " + c.epoch() + ")").toList());
        };
    }

    @Bean
    InboundVerifier inboundVerifier(Membership membership, LedgerProperties props, TransactionChecks checks,
                                    ForkJoinPool verifierPool, PeerBudget peerBudget, BlockStore store,
                                    ReplicaDirectory directory) {
        // Honest replicas re-send a message no sooner than the retransmit interval: such a copy always passes.
        long replayWindowMs = Math.min(props.peer().replayWindowMs(), props.retransmitIntervalMs() / 2);
        VerifiedMessages verified = new VerifiedMessages(props.peer().verifiedMaxEntries(), replayWindowMs,
                System::currentTimeMillis);
        return new InboundVerifier(membership, directory, props.replicaId(), checks, verifierPool,
                props.batch().maxTransactions(), props.batch().maxBytes(),
                new InboundVerifier.Defences(directory.verifier(), verified, peerBudget,
                        store::priorExecution));
    }

    /** Unexpected errors the replica's own threads caught (pbft_thread_failures_total). */
    @Bean
    ThreadFailures threadFailures() {
        return new ThreadFailures();
    }

    /**
     * Sends to peers within the body limits of each kind of request; without TLS each request carries
     * headers signed with the replica key, with mutual TLS the certificate names the sender.
     */
    @Bean(destroyMethod = "close")
    HttpPeerOutbox peerOutbox(Membership membership, LedgerProperties props, PeerHttpClients peerClients,
                              ReplicaKeyRing keys, ThreadFailures threadFailures, ReplicaDirectory directory,
                              PeerLimits peerLimits) {
        PeerRequestSigner signer = peerClients.isTls() ? PeerRequestSigner.unsigned()
                : PeerRequestSigner.signing(keys::headerKey, Genesis.signingDomain(membership), props.replicaId(),
                        ReplicaRoster.REPLICAS_MAX);
        HttpPeerOutbox outbox = new HttpPeerOutbox(membership, props.replicaId(), props.peer().queueMaxMessages(),
                props.peer().sendBatchMaxMessages(), peerLimits::bodies, peerClients, signer,
                threadFailures);
        // The replicas of the stored chain's recent epochs, which replica-set changes may have made.
        outbox.update(directory.recentMembers());
        return outbox;
    }

    /** Who sends a peer request, decided before its body is read: a replica certificate or signed headers. */
    @Bean
    PeerRequestAuthenticator peerRequestAuthenticator(Membership membership, LedgerProperties props,
                                                      ReplicaDirectory directory) {
        return new PeerRequestAuthenticator(membership, directory, props.replicaId(), Genesis.signingDomain(membership),
                props.peer().authWindowMs());
    }

    /**
     * The peer limits, sized for the largest set of the stored chain's newest two epochs and grown by
     * {@link #replicaSetWatcher} when a change makes a larger one.
     */
    @Bean
    PeerLimits peerLimits(LedgerProperties props, Membership membership, ReplicaDirectory directory) {
        return new PeerLimits(n -> PeerBodyLimit.endpoint(props, n), Math.max(membership.n(), directory.largestRecentSet()));
    }

    /** One INFO line per committed block, for operators and log collectors. */
    @Bean
    Consumer<Block> blockLog() {
        Logger log = LoggerFactory.getLogger("io.pbftledger.blocks");
        return block -> log.info("committed block {} with {} transactions (view {}, sequence {}, hash {})",
                block.height(), block.transactions().size(), block.header().view(), block.header().sequence(),
                block.hash().hex());
    }

    /** Deliberate misbehaviour when ledger.fault-injection is enabled (tests of fault tolerance), else none. */
    @Bean(destroyMethod = "close")
    FaultInjection faultInjection(LedgerProperties props, Membership membership, Ed25519.PrivateKey replicaKey) {
        return FaultInjection.of(props, membership, replicaKey);
    }

    /** The thread state transfer fetches and verifies on, off the consensus thread. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService stateTransferWorker() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "pbft-state-transfer");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean(destroyMethod = "close")
    ConsensusJournal consensusJournal(LedgerProperties props) {
        // Decoded with the journal's own fixed limits, never today's settings: see FileConsensusJournal.
        return new FileConsensusJournal(props.dataPath().resolve("consensus.wal"));
    }

    /**
     * What the peer state endpoint serves when fault mode lying-state-transfer is on: a chain with one
     * committed block left out; none otherwise (the stored blocks are served).
     */
    @Bean
    PeerBlockPages peerBlockPages(FaultInjection faults, Membership membership, LedgerProperties props,
                                  LedgerQueries queries, BlockStore store, ClientMembershipStore clientStore) {
        if (!faults.liesInStateTransfer()) {
            return PeerBlockPages.stored(queries);
        }
        ClientMembership genesis = genesisMembership(membership, props);
        return new LyingBlockPages(membership, queries, height -> clientStore.loadAt(genesis, height),
                (clientId, nonce, height) -> store.findByClientNonce(clientId, nonce)
                        .filter(stored -> stored.blockHeight() <= height).isPresent());
    }

    @Bean(destroyMethod = "close")
    ReplicaDriver replicaDriver(LedgerProperties props, ReplicaConfig config, ReplicaKeyRing replicaKey,
                                ReplicaDirectory directory,
                                Membership membership,
                                BlockStore store, PendingTransactions pending, HttpPeerOutbox outbox,
                                ConsensusJournal journal, CheckpointStore checkpointStore,
                                ExecutorService stateTransferWorker, FaultInjection faults,
                                ObjectProvider<Consumer<Block>> blockListeners, PeerHttpClients peerClients,
                                ClientRegistry clients, ClientMembershipStore clientStore, LedgerQueries queries,
                                ThreadFailures threadFailures) {
        store.initialize(Genesis.of(membership));
        new ChainAuditor(membership, props.checkpointInterval(), queries, store)
                .newestCertificateProblem(clients.current().replicas()).ifPresent(problem -> {
            throw new IllegalStateException("the database's commit certificates do not verify for this membership ("
                    + problem + "): replica signatures cover the tag pbft-ledger/replica-signature/v1 and the genesis "
                    + "hash, and these were made without them (an older version) or for another chain. Start this "
                    + "chain anew with an empty database and data directory");
        });
        checkKeyAgainstChain(props, replicaKey, directory);
        BlockHeader last = store.latestHeader();
        Optional<StoredCheckpoint> stable = checkpointStore.latest();
        // Null requests after the last block leave no block behind; the stable checkpoint bounds them.
        long lastExecuted = Math.max(last.sequence(), stable.map(StoredCheckpoint::sequence).orElse(0L));
        clients.executed(lastExecuted);
        // The checkpoint this replica last executed is signed again at start: its vote may have been
        // lost in the crash, and without 2f+1 votes that checkpoint would never become stable.
        long checkpointSequence = lastExecuted - lastExecuted % config.checkpointInterval();
        BlockHeader atCheckpoint = store.headerAtOrBelowSequence(checkpointSequence);
        // The client membership as it was after that block, which later blocks may have changed.
        Digest clientsAtCheckpoint = clientStore.loadAt(genesisMembership(membership, props), atCheckpoint.height()).digest();
        RecoveredState.ExecutedCheckpoint executedCheckpoint = checkpointSequence == 0 ? null
                : new RecoveredState.ExecutedCheckpoint(checkpointSequence, CheckpointDigest.of(checkpointSequence,
                        atCheckpoint.hash(), clientsAtCheckpoint));
        RecoveredState recovered = new RecoveredState(last.view(), lastExecuted, last.timestamp(),
                stable.map(cp -> new StableCheckpoint(cp.sequence(), cp.stateDigest(), cp.proof())).orElse(null),
                journal.load(), executedCheckpoint)
                .withReplicaSetChanges(BatchApplier.replicaChanges(clients.current().replicas()));
        // InboundVerifier checked every nested signature before step, off the consensus thread.
        Replica replica = new Replica(config, Genesis.signingDomain(membership), replicaKey,
                MessageVerifier.CHECKED_BEFORE_STEP, store::isExecuted, recovered);
        List<Consumer<Block>> listeners = blockListeners.orderedStream().toList();
        BatchApplier applier = new BatchApplier(store, clients, pending, listeners);
        CheckpointKeeper keeper = new CheckpointKeeper(checkpointStore, new JournalCompaction(), () -> clients.current().digest(),
                config.checkpointInterval(), lastExecuted);
        if (executedCheckpoint != null) {
            keeper.executedBefore(checkpointSequence, atCheckpoint.height());
        }
        ReplicaDriver driver = new ReplicaDriver(replica, faults.wrap(outbox), journal, applier, keeper,
                System::currentTimeMillis, DRIVER_QUEUE_MAX_EVENTS, props.peer().eventQueueMaxBytes(), TICK_INTERVAL_MS);
        faults.applyTo(driver);
        long responseMaxBytes = PeerStateController.PAGE_MAX_BYTES + 2L * config.batchMaxBytes() + (1 << 20);
        PeerFetcher fetcher = new HttpPeerFetcher(directory::urlOf, responseMaxBytes, config.batchMaxTransactions(),
                peerClients);
        driver.attach(new StateTransfer(membership, config.replicaId(), fetcher, stateTransferWorker,
                driver::deliverFetched, clients::current, STATE_TRANSFER_PAGE_BLOCKS,
                (clientId, nonce, height) -> store.findByClientNonce(clientId, nonce)
                        .filter(stored -> stored.blockHeight() <= height).isPresent(),
                () -> store.latestHeader().height(), StateTransfer.Limits.DEFAULT, threadFailures));
        return driver;
    }

    /**
     * The key file must hold a key this replica holds in the stored chain's recent replica sets (the
     * membership file's, or one a rotation gave it); a replica that is no member of them, or whose
     * database does not hold the rotation yet, starts only to join ({@code ledger.join}).
     */
    private static void checkKeyAgainstChain(LedgerProperties props, ReplicaKeyRing keys, ReplicaDirectory directory) {
        int self = props.replicaId();
        List<Ed25519.PublicKey> held = directory.recentKeys(self);
        Ed25519.PublicKey mine = keys.publicKeys().get(0);
        // A replica that joins (or comes back with an empty database after a rotation) learns its key's
        // place from the chain it fetches; its messages count once the chain gives it this key.
        if (!held.isEmpty() && !held.contains(mine) && !props.join()) {
            throw new IllegalStateException("ledger.key-file " + props.keyFile() + " holds public key " + mine
                    + ", but this chain's replica sets give replica " + self + " " + held + " (after a rotate-key, "
                    + "the key file must hold the new key; keys from another keygen run?)");
        }
        if (held.isEmpty() && !props.join()) {
            throw new IllegalStateException("replica " + self + " is not a member of this chain's replica set "
                    + directory.recentMembers().keySet() + " (a remove took it out?); a replica that joins through a "
                    + "replica-set change sets ledger.join=true");
        }
    }

    @Bean
    ReplicaService replicaService(Membership membership, LedgerProperties props, TransactionChecks checks,
                                  PendingTransactions pending,
                                  BlockStore store, LedgerQueries queries, ReplicaDriver driver, HttpPeerOutbox outbox,
                                  DropCounters drops, FaultInjection faults) {
        return new ReplicaService(membership, props.checkpointInterval(), checks, pending, store, queries, driver, outbox, drops,
                faults.reportsWrongResults());
    }

    /** Starts the consensus thread and the peer senders once the context is up; stops them first on shutdown. */
    @Bean
    SmartLifecycle consensusLifecycle(ReplicaDriver driver, HttpPeerOutbox outbox) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                outbox.start();
                driver.start();
                running = true;
            }

            @Override
            public void stop() {
                driver.close();
                outbox.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
