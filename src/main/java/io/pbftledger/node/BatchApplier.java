package io.pbftledger.node;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Executes committed batches in sequence order: builds the next block under the client membership
 * in effect, stores it with its certificate, transactions, state writes and membership changes in
 * one database transaction, moves the client membership on, then tells the waiting clients and the
 * listeners (explorer feed, metrics).
 */
public final class BatchApplier {
    private final BlockStore store;
    private final ClientRegistry clients;
    private final PendingTransactions pending;
    private final List<Consumer<Block>> listeners;

    public BatchApplier(BlockStore store, ClientRegistry clients, PendingTransactions pending,
                        List<Consumer<Block>> listeners) {
        this.store = store;
        this.clients = clients;
        this.pending = pending;
        this.listeners = List.copyOf(listeners);
    }

    /** Header of the newest stored block. */
    public BlockHeader latestHeader() {
        return store.latestHeader();
    }

    /**
     * The header a checkpoint at {@code sequence} covers for a batch this replica already has (delivered
     * again after a restart, or stored by state transfer first). The stored chain must agree with what
     * consensus delivered: a non-empty batch must be the block stored at its sequence, a null request
     * must have none. Anything else means two different batches committed at one sequence; the
     * replica stops rather than diverge silently.
     */
    public BlockHeader alreadyStored(CommittedBatch batch) {
        BlockHeader header = store.headerAtOrBelowSequence(batch.sequence());
        boolean hasBlock = header.sequence() == batch.sequence();
        boolean agrees = batch.requests().isEmpty() ? !hasBlock
                : hasBlock && header.batchDigest().equals(batch.batchDigest());
        if (!agrees) {
            throw new IllegalStateException("SAFETY VIOLATION: consensus delivered " + batch.batchDigest()
                    + " (" + batch.requests().size() + " requests, view " + batch.view() + ") at sequence "
                    + batch.sequence() + " but the stored chain has "
                    + (hasBlock ? "block " + header.height() + " with batch " + header.batchDigest() : "no block")
                    + " there; stopping consensus on this replica");
        }
        return header;
    }

    /** Applies one committed batch and returns the stored block. */
    public Block apply(CommittedBatch batch) {
        OrderedBatch ordered = new OrderedBatch(batch.view(), batch.sequence(), batch.timestamp(), batch.primary(),
                batch.batchDigest(), batch.requests(), batch.certificate());
        ExecutedBlock executed = BlockExecutor.execute(store.latestHeader(), clients.current(), ordered,
                clients.signatures(), store.priorExecution(batch.requests()));
        return store(executed, txIds(executed));
    }

    /** Stores a block that state transfer fetched and verified (re-executed) from peers. */
    public Block applyFetched(ExecutedBlock executed) {
        return store(executed, txIds(executed));
    }

    /** Clients wait by txId; the requests were ordered by request id. */
    private static List<Digest> txIds(ExecutedBlock executed) {
        List<Digest> ids = new ArrayList<>(executed.block().transactions().size());
        for (Transaction tx : executed.block().transactions()) {
            ids.add(tx.txId());
        }
        return ids;
    }

    private Block store(ExecutedBlock executed, List<Digest> txIds) {
        store.append(executed);
        // Before the checkpoint digest of this sequence is computed, which covers the client membership.
        clients.advance(executed);
        Block block = executed.block();
        for (int i = 0; i < txIds.size(); i++) {
            if (executed.isSkipped(i)) {
                continue; // ordered again after a view change; its first execution already answered its client
            }
            Transaction tx = block.transactions().get(i);
            pending.committed(new TransactionRecord(tx, txIds.get(i), block.height(), block.hash(), i));
        }
        for (Consumer<Block> listener : listeners) {
            listener.accept(block);
        }
        return block;
    }
}
