package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;
import java.util.List;
import java.util.Optional;

/** Read side of the chain for the REST API and the explorer; the storage package implements it. */
public interface LedgerQueries {

    Optional<Block> blockByHeight(long height);

    Optional<Block> blockByHash(Digest hash);

    /** Headers with height strictly below {@code beforeHeight}, newest first, at most {@code limit}. */
    List<BlockHeader> headersBefore(long beforeHeight, int limit);

    /** Blocks with heights in [fromHeight, toHeight], ascending, with transactions and certificates. */
    List<Block> blocksBetween(long fromHeight, long toHeight);

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
