package io.pbftledger.bench.jmh;

import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Turning a committed batch of 500 transactions into a block: the RFC 6962 Merkle root of the
 * txIds alone, and the whole of {@link BlockExecutor#execute} (decode each transaction's wire bytes,
 * Merkle root, state hash, header). Storage is not included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlockBenchmark {
    private List<byte[]> leaves;
    private BlockHeader previous;
    private OrderedBatch batch;

    @Setup
    public void setUp() {
        List<ClientRequest> requests = Fixtures.requests(Fixtures.BATCH_TRANSACTIONS);
        leaves = new ArrayList<>(requests.size());
        requests.forEach(r -> leaves.add(r.id().bytes()));
        long timestamp = 1_700_000_000_000L;
        previous = new BlockHeader(41, Digest.sha256(new byte[] {1}), timestamp - 20, 0, 41, 0, Digest.ZERO, Digest.ZERO,
                Digest.sha256(new byte[] {2}), 0);
        batch = new OrderedBatch(0, 42, timestamp, 0, BatchDigest.ofRequests(timestamp, requests), requests, List.of());
        if (BlockExecutor.execute(previous, batch).block().header().transactionCount() != Fixtures.BATCH_TRANSACTIONS) {
            throw new IllegalStateException("the block does not hold the batch");
        }
    }

    @Benchmark
    public byte[] merkleRoot500() {
        return MerkleTree.root(leaves);
    }

    @Benchmark
    public ExecutedBlock executeBlock500() {
        return BlockExecutor.execute(previous, batch);
    }
}
