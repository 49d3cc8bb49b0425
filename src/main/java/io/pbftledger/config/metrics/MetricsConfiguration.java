package io.pbftledger.config.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.node.DropCounters;
import io.pbftledger.node.PendingTransactions;
import io.pbftledger.node.ReplicaDriver;
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

    /** Named so that the health contributor is "consensus" (in the readiness group, see application.yml). */
    @Bean
    ConsensusHealth consensusHealthIndicator(ReplicaDriver driver, HttpPeerOutbox outbox, PeerHttpClients peerClients) {
        return new ConsensusHealth(driver::failure, driver::status, outbox::peers, new PeerLivenessProbe(peerClients));
    }
}
