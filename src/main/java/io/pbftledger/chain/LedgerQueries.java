package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Read side of the chain for the REST API and the explorer; the storage package implements it. */
public interface LedgerQueries {

    Optional<Block> blockByHeight(long height);

    Optional<Block> blockByHash(Digest hash);

    /** Headers with height strictly below {@code beforeHeight}, newest first, at most {@code limit}. */
    List<BlockHeader> headersBefore(long beforeHeight, int limit);

    /** Blocks with heights in [fromHeight, toHeight], ascending, with transactions and certificates. */
    List<Block> blocksBetween(long fromHeight, long toHeight);

    /**
     * The volume of each stored block in [fromHeight, toHeight] that holds transactions, by height
     * ascending, without loading the blocks: what a page of blocks bounded in bytes needs before it
     * loads any. Heights without transactions, or not stored, are absent. This default loads the
     * blocks (for stores held in memory); the database store answers with one aggregate query.
     */
    default SortedMap<Long, BlockVolume> volumesBetween(long fromHeight, long toHeight) {
        SortedMap<Long, BlockVolume> out = new TreeMap<>();
        for (Block block : blocksBetween(fromHeight, toHeight)) {
            if (!block.transactions().isEmpty()) {
                out.put(block.height(), BlockVolume.of(block));
            }
        }
        return out;
    }

    Optional<TransactionRecord> transaction(Digest txId);

    List<TransactionRecord> blockTransactions(long height);

    /**
     * Indices, ascending, of the transactions block {@code height} holds but did not execute because
     * their (clientId, nonce) ran at an earlier position ({@link ExecutedBlock#skipped()}). Empty for a
     * block that skipped nothing or that is not stored.
     */
    List<Integer> skippedInBlock(long height);

    Optional<StateEntry> state(String key);

    /** Values the key has held, newest first, at most {@code limit}. */
    List<StateEntry> stateHistory(String key, int limit);
}
