package io.pbftledger.node;

import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.pbft.core.ReplicaSet;
import io.pbftledger.pbft.core.RecoveredState;
import java.util.Optional;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    /**
     * The replica set that a change executed at {@code sequence} made, if the stored chain holds one
     * there (read right after the block is stored: the registry holds the roster after it).
     */
    public Optional<ReplicaSet> replicaSetChangedAt(long sequence) {
        ReplicaRoster roster = clients.current().replicas();
        List<ReplicaRoster.Change> changes = roster.changes();
        for (int i = changes.size() - 1; i >= 0 && changes.get(i).sequence() >= sequence; i--) {
            if (changes.get(i).sequence() == sequence) {
                return Optional.of(new ReplicaSet(roster.epochs().get(i + 1).ids()));
            }
        }
        return Optional.empty();
    }

    /** Every sequence up to {@code sequence} is executed here, blocks or not (for the epoch in force at the edge). */
    public void executedUpTo(long sequence) {
        clients.executed(sequence);
    }

    /** Every replica-set change of the stored chain, as the core's recovered state lists them. */
    public List<RecoveredState.ReplicaSetChange> replicaChanges() {
        return replicaChanges(clients.current().replicas());
    }

    /** The changes of {@code roster}, each with the set it made, as the core's recovered state lists them. */
    public static List<RecoveredState.ReplicaSetChange> replicaChanges(ReplicaRoster roster) {
        List<RecoveredState.ReplicaSetChange> out = new ArrayList<>();
        for (ReplicaRoster.Change c : roster.changes()) {
            out.add(new RecoveredState.ReplicaSetChange(c.sequence(), new ReplicaSet(roster.epochs().get((int) c.epoch()).ids())));
        }
        return out;
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
        ExecutedBlock executed = BlockExecutor.execute(store.latestHeader(), clients.current(), ordered(batch),
                clients.signatures(), store.priorExecution(batch.requests()));
        return store(executed, txIds(executed));
    }

    /**
     * Applies consecutive committed batches that follow the stored chain (each sequence above the
     * stored tip's), storing their blocks in one database transaction: what an execution stage that
     * fell behind found queued. Each batch is executed exactly as {@link #apply} would one by one:
     * after the blocks before it in the group, under the client membership they leave, skipping a
     * request an earlier block of the group executed. A null request (no requests) makes no block.
     *
     * @return per batch, in order, the header of the newest block at or below its sequence: what its
     *         checkpoint covers
     */
    public List<BlockHeader> applyAll(List<CommittedBatch> batches) {
        BlockHeader tip = store.latestHeader();
        ClientMembership membership = clients.current();
        Set<String> groupPairs = new HashSet<>();
        List<ExecutedBlock> group = new ArrayList<>(batches.size());
        List<BlockHeader> covered = new ArrayList<>(batches.size());
        for (CommittedBatch batch : batches) {
            if (batch.sequence() <= tip.sequence()) {
                throw new IllegalArgumentException("sequence " + batch.sequence() + " does not follow "
                        + tip.sequence() + ": only batches above the tip are applied");
            }
            if (!batch.requests().isEmpty()) {
                PriorExecution stored = store.priorExecution(batch.requests());
                PriorExecution prior = (clientId, nonce) ->
                        groupPairs.contains(pairKey(clientId, nonce)) || stored.executed(clientId, nonce);
                ExecutedBlock executed = BlockExecutor.execute(tip, membership, ordered(batch), clients.signatures(),
                        prior);
                List<Transaction> txs = executed.block().transactions();
                for (int i = 0; i < txs.size(); i++) {
                    groupPairs.add(pairKey(txs.get(i).clientId(), txs.get(i).nonce()));
                }
                if (executed.clientsAfter() != null) {
                    membership = executed.clientsAfter();
                }
                group.add(executed);
                tip = executed.block().header();
            }
            covered.add(tip);
        }
        if (group.size() == 1) {
            store.append(group.get(0));
        } else if (!group.isEmpty()) {
            store.appendAll(group);
        }
        for (ExecutedBlock executed : group) {
            stored(executed, txIds(executed));
        }
        return covered;
    }

    /** '#' cannot occur in a client id, so the key is unambiguous (as in {@link PriorExecution#skipped}). */
    private static String pairKey(String clientId, long nonce) {
        return clientId + "#" + nonce;
    }

    private static OrderedBatch ordered(CommittedBatch batch) {
        return new OrderedBatch(batch.view(), batch.sequence(), batch.timestamp(), batch.primary(),
                batch.batchDigest(), batch.requests(), batch.certificate());
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
        return stored(executed, txIds);
    }

    /** After a block is stored: the membership moves on, its clients hear, the listeners see it. */
    private Block stored(ExecutedBlock executed, List<Digest> txIds) {
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
