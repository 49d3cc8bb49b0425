package io.pbftledger.storage;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Turns block rows back into {@link Block}s; {@link Block}'s constructor re-checks each stored hash. */
final class BlockAssembler {
    private BlockAssembler() {
    }

    /**
     * @param blocks       ascending by height
     * @param transactions of those blocks, executed and skipped, ascending by (height, index)
     * @param signatures   of those blocks, ascending by (height, replica)
     */
    static List<Block> assemble(List<BlockEntity> blocks, List<? extends TransactionRow> transactions,
                                List<CommitSignatureEntity> signatures) {
        List<Block> out = new ArrayList<>(blocks.size());
        Iterator<? extends TransactionRow> txs = transactions.iterator();
        Iterator<CommitSignatureEntity> sigs = signatures.iterator();
        TransactionRow tx = next(txs);
        CommitSignatureEntity sig = next(sigs);
        for (BlockEntity entity : blocks) {
            BlockHeader header = entity.toHeader();
            List<Transaction> blockTxs = new ArrayList<>(header.transactionCount());
            while (tx != null && tx.blockHeight() == entity.height()) {
                blockTxs.add(tx.toTransaction());
                tx = next(txs);
            }
            List<Signed<Commit>> certificate = new ArrayList<>();
            while (sig != null && sig.blockHeight() == entity.height()) {
                certificate.add(sig.toSigned(header));
                sig = next(sigs);
            }
            out.add(new Block(header, entity.hash(), blockTxs, certificate));
        }
        if (tx != null || sig != null) {
            throw new IllegalStateException("rows of block " + (tx != null ? tx.blockHeight() : sig.blockHeight())
                    + " were read without their block; the read was not consistent");
        }
        return out;
    }

    private static <T> T next(Iterator<T> it) {
        return it.hasNext() ? it.next() : null;
    }
}
