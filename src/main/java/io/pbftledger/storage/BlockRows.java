package io.pbftledger.storage;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.StateWrite;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One executed block checked and prepared for its rows before any database work, so that a bad
 * block fails without opening a transaction.
 *
 * @param txIds        the hex txId of each transaction of the block, by index
 * @param latestWrites the last write of each key in the block, in the order the keys were first written
 */
record BlockRows(ExecutedBlock executed, List<String> txIds, Map<String, StateWrite> latestWrites) {

    static BlockRows of(ExecutedBlock executed) {
        Block block = executed.block();
        List<String> txIds = txIds(executed);
        checkCertificate(block.header(), block.certificate());
        if (!executed.changes().isEmpty() && executed.clientsAfter() == null) {
            throw new IllegalArgumentException("block " + block.height()
                    + " changes the client membership but carries no membership after it");
        }
        Map<String, StateWrite> latestWrites = new LinkedHashMap<>();
        Set<Integer> writers = new HashSet<>();
        for (StateWrite write : executed.writes()) {
            checkWrite(write, block, txIds, writers);
            latestWrites.put(write.key(), write);
        }
        return new BlockRows(executed, List.copyOf(txIds), latestWrites);
    }

    long height() {
        return executed.block().height();
    }

    BlockHeader header() {
        return executed.block().header();
    }

    /** The transactions execution did not skip: the rows of {@code transactions}, unique per txId and (clientId, nonce). */
    List<Transaction> executedTransactions() {
        List<Transaction> all = executed.block().transactions();
        List<Transaction> out = new ArrayList<>(all.size() - executed.skipped().size());
        for (int i = 0; i < all.size(); i++) {
            if (!executed.isSkipped(i)) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    private static List<String> txIds(ExecutedBlock executed) {
        Block block = executed.block();
        List<String> txIds = new ArrayList<>(block.transactions().size());
        Set<String> seenIds = new HashSet<>();
        Set<String> seenClientNonces = new HashSet<>();
        for (int i = 0; i < block.transactions().size(); i++) {
            Transaction tx = block.transactions().get(i);
            String txId = tx.txId().hex();
            txIds.add(txId);
            if (executed.isSkipped(i)) {
                continue;
            }
            // Separator '#' cannot occur in a client id, so the pair key is unambiguous.
            if (!seenIds.add(txId) || !seenClientNonces.add(tx.clientId() + "#" + tx.nonce())) {
                throw new LedgerException(ErrorKind.CONFLICT, "block " + block.height() + " holds transaction "
                        + tx.clientId() + "#" + tx.nonce() + " twice");
            }
        }
        return txIds;
    }

    private static void checkCertificate(BlockHeader header, List<Signed<Commit>> certificate) {
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
        }
    }

    private static void checkWrite(StateWrite write, Block block, List<String> txIds, Set<Integer> writers) {
        int index = write.index();
        if (index < 0 || index >= txIds.size() || !txIds.get(index).equals(write.txId().hex())) {
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
