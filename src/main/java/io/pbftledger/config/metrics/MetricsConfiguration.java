package io.pbftledger.config.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.node.DropCounters;
import io.pbftledger.node.PendingTransactions;
import io.pbftledger.node.ReplicaDriver;
import io.pbftledger.node.ThreadFailures;
import io.pbftledger.transport.HttpPeerOutbox;
import io.pbftledger.transport.PeerHttpClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Micrometer meters and the consensus readiness check of one replica. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {
    /** A block listener (NodeConfiguration hands every Consumer&lt;Block&gt; bean every committed block). */
    @Bean
    BlockMetrics blockMetrics(MeterRegistry registry) {
        return new BlockMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    ConsensusMetrics consensusMetrics(ReplicaDriver driver, BlockStore store, PendingTransactions pending,
                                      HttpPeerOutbox outbox, DropCounters drops) {
        return new ConsensusMetrics(driver, store, pending, outbox::peers, outbox::queueDepths, drops);
    }

    /**
     * pbft_thread_failures_total{thread}: unexpected errors the replica's threads caught at the top
     * of their loops (senders and state transfer go on; the pipeline stops at its first one, counted
     * once, on the stage that failed).
     */
    @Bean
    MeterBinder threadFailureMetrics(ThreadFailures failures, ReplicaDriver driver) {
        return registry -> {
            for (ThreadFailures.Kind kind : ThreadFailures.Kind.values()) {
                FunctionCounter.builder("pbft.thread.failures", failures, f -> isPipelineStage(kind)
                                ? (driver.failedStage() == kind ? 1 : 0) : f.count(kind))
                        .description("Unexpected errors (out of memory included) a replica thread caught: sender and "
                                + "state-transfer threads go on; the pipeline (consensus, journal and execution threads) "
                                + "stops at its first one (readiness DOWN)")
                        .tag("thread", kind.label()).register(registry);
            }
        };
    }

    private static boolean isPipelineStage(ThreadFailures.Kind kind) {
        return kind == ThreadFailures.Kind.CONSENSUS || kind == ThreadFailures.Kind.JOURNAL
                || kind == ThreadFailures.Kind.EXECUTION;
    }

    /** Named so that the health contributor is "consensus" (in the readiness group, see application.yml). */
    @Bean
    ConsensusHealth consensusHealthIndicator(ReplicaDriver driver, HttpPeerOutbox outbox, PeerHttpClients peerClients) {
        return new ConsensusHealth(driver::failure, driver::status, outbox::peers, new PeerLivenessProbe(peerClients));
    }
}
