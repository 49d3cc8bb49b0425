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

    /**
     * @param previous the header of the last block
     * @param batch    what PBFT committed at the next sequence (its requests' bodies are the transactions' wire bytes)
     */
    public static ExecutedBlock execute(BlockHeader previous, OrderedBatch batch) {
        List<Transaction> transactions = new ArrayList<>(batch.requests().size());
        List<byte[]> leaves = new ArrayList<>(batch.requests().size());
        List<StateWrite> writes = new ArrayList<>();
        int index = 0;
        for (ClientRequest request : batch.requests()) {
            Transaction tx = Transaction.fromWire(request.body());
            Digest txId = request.id();
            transactions.add(tx);
            leaves.add(txId.bytes());
            if (tx.key() != null) {
                writes.add(new StateWrite(tx.key(), tx.payload(), txId, index));
            }
            index++;
        }
        BlockHeader header = new BlockHeader(previous.height() + 1, previous.hash(), batch.timestamp(),
                batch.view(), batch.sequence(), batch.primary(), batch.batchDigest(),
                new Digest(MerkleTree.root(leaves)), StateHash.next(previous.stateHash(), writes),
                transactions.size());
        return new ExecutedBlock(Block.of(header, transactions, batch.certificate()), writes);
    }
}
