package io.pbftledger.config;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.node.BatchApplier;
import io.pbftledger.node.CheckpointKeeper;
import io.pbftledger.node.CheckpointStore;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.node.ConsensusJournal;
import io.pbftledger.storage.FileConsensusJournal;
import io.pbftledger.node.DropCounters;
import io.pbftledger.node.InboundVerifier;
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
import io.pbftledger.transport.PeerEndpointLimits;
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
    /** Transaction ids whose signatures are remembered as verified. */
    static final int VERIFIED_CACHE_MAX_ENTRIES = 200_000;

    /** Loads and cross-checks the membership, the replica key and the demo identities, or stops with one message. */
    @Bean
    StartupCheck.Verified verifiedConfiguration(LedgerProperties props) {
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
        return new ReplicaConfig(props.replicaId(), membership.n(), props.checkpointInterval(),
                props.watermarkWindow(), props.batch().maxTransactions(), props.batch().maxBytes(),
                props.batch().maxDelayMs(), props.timestampSkewMs(), props.retransmitIntervalMs());
    }

    @Bean
    VerifiedTransactions verifiedTransactions() {
        return new VerifiedTransactions(VERIFIED_CACHE_MAX_ENTRIES);
    }

    @Bean
    TransactionChecks transactionChecks(Membership membership, VerifiedTransactions verified) {
        return new TransactionChecks(membership, verified);
    }

    @Bean
    PendingTransactions pendingTransactions(LedgerProperties props) {
        return new PendingTransactions(props.mempool().maxTransactions());
    }

    @Bean
    DropCounters dropCounters() {
        return new DropCounters();
    }

    @Bean(destroyMethod = "shutdown")
    ForkJoinPool verifierPool() {
        return new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    @Bean
    InboundVerifier inboundVerifier(Membership membership, LedgerProperties props, TransactionChecks checks,
                                    ForkJoinPool verifierPool) {
        return new InboundVerifier(membership, props.replicaId(), checks, verifierPool,
                props.batch().maxTransactions(), props.batch().maxBytes());
    }

    @Bean(destroyMethod = "close")
    HttpPeerOutbox peerOutbox(Membership membership, LedgerProperties props) {
        return new HttpPeerOutbox(membership, props.replicaId(), props.peer().queueMaxMessages(),
                props.peer().sendBatchMaxMessages(), 2 * props.batch().maxBytes());
    }

    @Bean
    PeerEndpointLimits peerEndpointLimits(LedgerProperties props) {
        long bodyMaxBytes = 2 * props.batch().maxBytes();
        return new PeerEndpointLimits(bodyMaxBytes, new MessageCodec.Limits(props.peer().sendBatchMaxMessages() * 4,
                props.batch().maxTransactions(), io.pbftledger.chain.Transaction.WIRE_MAX_BYTES, bodyMaxBytes));
    }

    @Bean(destroyMethod = "close")
    ConsensusJournal consensusJournal(LedgerProperties props, PeerEndpointLimits limits) {
        return new FileConsensusJournal(props.dataPath().resolve("consensus.wal"), limits.codecLimits());
    }

    @Bean(destroyMethod = "close")
    ReplicaDriver replicaDriver(ReplicaConfig config, Ed25519.PrivateKey replicaKey, Membership membership,
                                BlockStore store, PendingTransactions pending, HttpPeerOutbox outbox,
                                ConsensusJournal journal, CheckpointStore checkpointStore,
                                ObjectProvider<Consumer<Block>> blockListeners) {
        store.initialize(Genesis.of(membership));
        BlockHeader last = store.latestHeader();
        RecoveredState recovered = last.height() == 0 ? RecoveredState.fresh()
                : new RecoveredState(last.view(), last.sequence(), last.timestamp());
        Replica replica = new Replica(config, replicaKey::sign,
                store::isExecuted, recovered);
        List<Consumer<Block>> listeners = blockListeners.orderedStream().toList();
        BatchApplier applier = new BatchApplier(store, pending, listeners);
        Digest clientsDigest = CheckpointDigest.clients(membership);
        CheckpointKeeper keeper = new CheckpointKeeper(checkpointStore, journal, () -> clientsDigest,
                config.checkpointInterval(), last.sequence());
        return new ReplicaDriver(replica, outbox, journal, applier, keeper, System::currentTimeMillis,
                DRIVER_QUEUE_MAX_EVENTS, TICK_INTERVAL_MS);
    }

    @Bean
    ReplicaService replicaService(Membership membership, TransactionChecks checks, PendingTransactions pending,
                                  BlockStore store, LedgerQueries queries, ReplicaDriver driver, HttpPeerOutbox outbox,
                                  DropCounters drops) {
        return new ReplicaService(membership, checks, pending, store, queries, driver, outbox, drops);
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
