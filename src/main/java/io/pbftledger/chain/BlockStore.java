package io.pbftledger.chain;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.List;
import java.util.Optional;

/** Write side of the chain, used by the consensus driver; the storage package implements it. */
public interface BlockStore {
    /** Most blocks one {@link #appendAll} stores. */
    int APPEND_ALL_MAX_BLOCKS = 256;

    /**
     * Stores {@code genesis} when the store is empty; otherwise checks that the stored genesis is the
     * same block and throws IllegalStateException when it is not (a data directory of another cluster).
     */
    void initialize(Block genesis);

    /** Header of the highest stored block (the genesis header on a fresh store). */
    BlockHeader latestHeader();

    /**
     * Header of the highest stored block whose consensus sequence is at or below {@code sequence} (the
     * genesis, sequence 0, at least): the block a checkpoint at that sequence covers, and the check
     * that a batch delivered again matches the one stored.
     */
    BlockHeader headerAtOrBelowSequence(long sequence);

    /**
     * Stores a block, its transactions, its commit certificate and its world-state writes in one
     * database transaction: all of it or nothing. Fails unless it is exactly the next height.
     */
    void append(ExecutedBlock block);

    /**
     * Stores consecutive blocks in one database transaction: all of them or none, each as
     * {@link #append} stores one. The first must be exactly the next height and link to the stored
     * tip, and each next one the height after the one before it, linking to it; otherwise nothing is
     * stored and IllegalStateException says which block does not follow. For an execution stage
     * that fell behind: one commit for the group instead of one per block. An empty list stores
     * nothing; more than {@link #APPEND_ALL_MAX_BLOCKS} blocks are refused (IllegalArgumentException).
     */
    void appendAll(List<ExecutedBlock> blocks);

    /** Whether a transaction with this (clientId, nonce) is in a stored block (cheaper than a lookup). */
    default boolean isExecuted(String clientId, long nonce) {
        return findByClientNonce(clientId, nonce).isPresent();
    }

    /**
     * Which of {@code requests}' (clientId, nonce) pairs stored blocks executed, answered for the whole
     * batch at once: execution asks it for every transaction of every block, on the consensus thread.
     */
    default PriorExecution priorExecution(List<ClientRequest> requests) {
        return this::isExecuted;
    }

    /** The committed transaction with this (clientId, nonce), if any. */
    Optional<TransactionRecord> findByClientNonce(String clientId, long nonce);
}
