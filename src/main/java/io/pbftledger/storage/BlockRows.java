package io.pbftledger.storage;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.StateWrite;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows one executed block adds, built and checked before any database work so that a bad
 * block fails without opening a transaction.
 *
 * @param latestWrites the last write of each key in the block, in the order the keys were first written
 */
record BlockRows(BlockEntity block, List<CommitSignatureEntity> signatures, List<TransactionEntity> transactions,
                 List<SkippedTransactionEntity> skipped, List<StateHistoryEntity> history,
                 Map<String, StateWrite> latestWrites) {

    static BlockRows of(ExecutedBlock executed) {
        Block block = executed.block();
        BlockHeader header = block.header();
        long height = header.height();
        List<Digest> txIds = new ArrayList<>(block.transactions().size());
        List<SkippedTransactionEntity> skipped = new ArrayList<>();
        List<TransactionEntity> transactions = transactionRows(executed, txIds, skipped);
        List<CommitSignatureEntity> signatures = signatureRows(header, block.certificate());
        List<StateHistoryEntity> history = new ArrayList<>(executed.writes().size());
        Map<String, StateWrite> latestWrites = new LinkedHashMap<>();
        Set<Integer> writers = new HashSet<>();
        for (StateWrite write : executed.writes()) {
            checkWrite(write, block, txIds, writers);
            history.add(StateHistoryEntity.of(write, height));
            latestWrites.put(write.key(), write);
        }
        return new BlockRows(BlockEntity.of(header, block.hash()), signatures, transactions, skipped, history,
                latestWrites);
    }

    long height() {
        return block.height();
    }

    private static List<TransactionEntity> transactionRows(ExecutedBlock executed, List<Digest> txIds,
            List<SkippedTransactionEntity> skipped) {
        Block block = executed.block();
        List<TransactionEntity> rows = new ArrayList<>(block.transactions().size());
        Set<Digest> seenIds = new HashSet<>();
        Set<String> seenClientNonces = new HashSet<>();
        for (int i = 0; i < block.transactions().size(); i++) {
            Transaction tx = block.transactions().get(i);
            Digest txId = tx.txId();
            if (executed.isSkipped(i)) {
                txIds.add(txId);
                skipped.add(SkippedTransactionEntity.of(tx, txId, block.height(), i));
                continue;
            }
            // Separator '#' cannot occur in a client id, so the pair key is unambiguous.
            if (!seenIds.add(txId) || !seenClientNonces.add(tx.clientId() + "#" + tx.nonce())) {
                throw new LedgerException(ErrorKind.CONFLICT, "block " + block.height() + " holds transaction "
                        + tx.clientId() + "#" + tx.nonce() + " twice");
            }
            txIds.add(txId);
            rows.add(TransactionEntity.of(tx, txId, block.height(), i));
        }
        return rows;
    }

    private static List<CommitSignatureEntity> signatureRows(BlockHeader header, List<Signed<Commit>> certificate) {
        List<CommitSignatureEntity> rows = new ArrayList<>(certificate.size());
        Set<Integer> signers = new HashSet<>();
        for (Signed<Commit> signed : certificate) {
            Commit c = signed.message();
            // Only the signature is stored, so a COMMIT for anything but this header could not be rebuilt.
            if (c.view() != header.view() || c.sequence() != header.sequence()
                    || !c.batchDigest().equals(header.batchDigest())) {
                throw new IllegalArgumentException("certificate of block " + header.height()
                        + " holds a COMMIT for another view, sequence or batch digest");
            }
            if (!signers.add(c.replica())) {
                throw new IllegalArgumentException("certificate of block " + header.height()
                        + " holds two COMMITs of replica " + c.replica());
            }
            rows.add(CommitSignatureEntity.of(header.height(), signed));
        }
        return rows;
    }

    private static void checkWrite(StateWrite write, Block block, List<Digest> txIds, Set<Integer> writers) {
        int index = write.index();
        if (index < 0 || index >= txIds.size() || !txIds.get(index).equals(write.txId())) {
            throw new IllegalArgumentException("block " + block.height() + " has a write to " + write.key()
                    + " that does not name one of its transactions");
        }
        if (!write.key().equals(block.transactions().get(index).key())) {
            throw new IllegalArgumentException("block " + block.height() + " writes " + write.key()
                    + " from a transaction of another key");
        }
        if (!writers.add(index)) {
            throw new IllegalArgumentException("block " + block.height() + " has two writes of transaction " + index);
        }
    }
}
