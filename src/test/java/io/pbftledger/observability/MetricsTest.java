package io.pbftledger.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.config.metrics.BlockMetrics;
import io.pbftledger.config.metrics.CommitLatency;
import io.pbftledger.explorer.ExplorerFixtures;
import io.pbftledger.node.PendingTransactions;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void applyingBlocksMovesTheBlockAndTransactionCountersAndTheBatchSizeSummary() {
        BlockMetrics metrics = new BlockMetrics(registry);

        metrics.accept(ExplorerFixtures.block(1, List.of(ExplorerFixtures.tx(1), ExplorerFixtures.tx(2))));
        metrics.accept(ExplorerFixtures.block(2, List.of(ExplorerFixtures.tx(3))));

        String scrape = registry.scrape();
        assertThat(scrape).contains("pbft_blocks_committed_total 2.0")
                .contains("pbft_transactions_committed_total 3.0")
                .contains("pbft_batch_size_transactions_count 2")
                .contains("pbft_batch_size_transactions_sum 3.0")
                .contains("pbft_batch_size_transactions_max 2.0");
    }

    @Test
    void aTransactionSubmittedHereRecordsItsSubmitToCommitLatencyWhenItsBlockCommits() throws Exception {
        PendingTransactions pending = new PendingTransactions(10, CommitLatency.recorder(registry));
        Transaction tx = ExplorerFixtures.tx(1);
        Block block = ExplorerFixtures.block(1, List.of(tx));
        pending.admit(tx, tx.txId());
        Thread.sleep(5);

        pending.committed(new TransactionRecord(tx, tx.txId(), 1, block.hash(), 0));

        var timer = registry.get("pbft.commit.latency").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(5);
        assertThat(registry.scrape()).contains("pbft_commit_latency_seconds_bucket");
    }

    @Test
    void aTransactionSubmittedElsewhereRecordsNoLatency() {
        PendingTransactions pending = new PendingTransactions(10, CommitLatency.recorder(registry));
        Transaction tx = ExplorerFixtures.tx(1);
        Block block = ExplorerFixtures.block(1, List.of(tx));

        pending.committed(new TransactionRecord(tx, tx.txId(), 1, block.hash(), 0));

        assertThat(registry.get("pbft.commit.latency").timer().count()).isZero();
    }
}
