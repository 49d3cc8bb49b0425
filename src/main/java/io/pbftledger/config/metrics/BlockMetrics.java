package io.pbftledger.config.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.pbftledger.chain.Block;
import java.util.function.Consumer;

/**
 * A block listener that counts committed blocks and transactions and records batch sizes. It runs
 * on the consensus thread, so it only bumps in-memory meters.
 */
public final class BlockMetrics implements Consumer<Block> {
    private final Counter blocks;
    private final Counter transactions;
    private final DistributionSummary batchSize;

    public BlockMetrics(MeterRegistry registry) {
        this.blocks = Counter.builder("pbft.blocks.committed")
                .description("Blocks this replica committed and stored (including blocks from state transfer)")
                .register(registry);
        this.transactions = Counter.builder("pbft.transactions.committed")
                .description("Transactions in the blocks this replica committed")
                .register(registry);
        this.batchSize = DistributionSummary.builder("pbft.batch.size")
                .description("Transactions per committed block")
                .baseUnit("transactions")
                .serviceLevelObjectives(1, 10, 100, 500, 1000, 5000)
                .register(registry);
    }

    @Override
    public void accept(Block block) {
        int count = block.transactions().size();
        blocks.increment();
        transactions.increment(count);
        batchSize.record(count);
    }
}
