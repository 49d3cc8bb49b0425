package io.pbftledger.chain;

import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a committed batch into the next block. Pure and deterministic: every replica that
 * executes the same batch on the same previous block produces the same block, byte for byte.
 */
public final class BlockExecutor {
    private BlockExecutor() {
    }

    /** Executes {@code batch} on a chain in which none of its (clientId, nonce) pairs ran before. */
    public static ExecutedBlock execute(BlockHeader previous, OrderedBatch batch) {
        return execute(previous, batch, PriorExecution.NONE);
    }

    /**
     * @param previous the header of the last block
     * @param batch    what PBFT committed at the next sequence (its requests' bodies are the transactions' wire bytes)
     * @param prior    which (clientId, nonce) pairs earlier blocks executed: such transactions are skipped
     */
    public static ExecutedBlock execute(BlockHeader previous, OrderedBatch batch, PriorExecution prior) {
        List<Transaction> transactions = new ArrayList<>(batch.requests().size());
        List<byte[]> leaves = new ArrayList<>(batch.requests().size());
        List<Digest> ids = new ArrayList<>(batch.requests().size());
        for (ClientRequest request : batch.requests()) {
            transactions.add(Transaction.fromWire(request.body()));
            leaves.add(request.id().bytes());
            ids.add(request.id());
        }
        List<Integer> skipped = PriorExecution.skipped(transactions, prior);
        List<StateWrite> writes = writes(transactions, ids, skipped);
        BlockHeader header = new BlockHeader(previous.height() + 1, previous.hash(), batch.timestamp(),
                batch.view(), batch.sequence(), batch.primary(), batch.batchDigest(),
                new Digest(MerkleTree.root(leaves)), StateHash.next(previous.stateHash(), writes),
                transactions.size());
        return new ExecutedBlock(Block.of(header, transactions, batch.certificate()), writes, skipped);
    }

    /** The state writes of a block's transactions, in order, leaving out the skipped ones. */
    public static List<StateWrite> writes(List<Transaction> transactions, List<Digest> txIds, List<Integer> skipped) {
        List<StateWrite> writes = new ArrayList<>();
        for (int i = 0; i < transactions.size(); i++) {
            Transaction tx = transactions.get(i);
            if (tx.key() != null && java.util.Collections.binarySearch(skipped, i) < 0) {
                writes.add(new StateWrite(tx.key(), tx.payload(), txIds.get(i), i));
            }
        }
        return writes;
    }
}
