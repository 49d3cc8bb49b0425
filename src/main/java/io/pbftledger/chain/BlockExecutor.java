package io.pbftledger.chain;

import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a committed batch into the next block. Pure and deterministic: every replica that
 * executes the same batch on the same previous block and client membership produces the same
 * block, byte for byte, and the same next membership.
 *
 * <p>Every transaction of the batch is in the block (PBFT agreed on it), but only a permitted one
 * takes effect: one whose (clientId, nonce) ran before is skipped ({@link PriorExecution}); of the
 * others, a client must be a member with the right role and key in the membership in effect
 * <em>before</em> the block ({@link Permissions}), so a change made in block h applies from block
 * h+1 on, whatever order the block holds. Membership changes of one block apply one after the other
 * (two revocations of the last two admins: the second is refused). A replica-set change
 * ({@link ReplicaOp}, key {@code ledger:replicas}) moves the {@link ReplicaRoster} on; it takes effect
 * at the first checkpoint at or above the block's sequence, and one executed while another is still
 * pending is refused. A refused transaction writes
 * nothing and is recorded as a {@link Refusal}.
 *
 * <p>The outcome depends only on what the commit certificate binds: the batch digest covers each
 * request's id, which is the hash of the transaction's exact bytes, signature included
 * ({@link Transaction#requestId()}), so every replica that commits the batch executes the same bytes.
 * The Merkle leaves and the ids execution records are txIds.
 */
public final class BlockExecutor {
    private BlockExecutor() {
    }

    /**
     * Executes {@code batch} on a chain in which none of its (clientId, nonce) pairs ran before, as if
     * every transaction were permitted and membership transactions were plain writes: for fixtures
     * and tools that build chains of permitted transactions only. Replicas use
     * {@link #execute(BlockHeader, ClientMembership, OrderedBatch, SignatureCheck, PriorExecution)}.
     */
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
            Transaction tx = Transaction.fromWire(request.body());
            transactions.add(tx);
            Digest txId = tx.txId();
            leaves.add(txId.bytes());
            ids.add(txId);
        }
        List<Integer> skipped = PriorExecution.skipped(transactions, prior);
        List<StateWrite> writes = writes(transactions, ids, skipped);
        BlockHeader header = new BlockHeader(previous.height() + 1, previous.hash(), batch.timestamp(),
                batch.view(), batch.sequence(), batch.primary(), batch.batchDigest(),
                new Digest(MerkleTree.root(leaves)), StateHash.next(previous.stateHash(), writes),
                transactions.size());
        return new ExecutedBlock(Block.of(header, transactions, batch.certificate()), writes, skipped);
    }

    /** As {@link #execute(BlockHeader, ClientMembership, OrderedBatch, SignatureCheck, PriorExecution)} with no earlier executions. */
    public static ExecutedBlock execute(BlockHeader previous, ClientMembership clients, OrderedBatch batch,
                                        SignatureCheck signatures) {
        return execute(previous, clients, batch, signatures, PriorExecution.NONE);
    }

    /**
     * @param previous the header of the last block
     * @param clients  the client membership in effect after {@code previous}
     * @param batch    what PBFT committed at the next sequence (its requests' bodies are the transactions' wire bytes)
     * @param prior    which (clientId, nonce) pairs earlier blocks executed: such transactions are skipped
     */
    public static ExecutedBlock execute(BlockHeader previous, ClientMembership clients, OrderedBatch batch,
                                        SignatureCheck signatures, PriorExecution prior) {
        long height = previous.height() + 1;
        List<Transaction> transactions = new ArrayList<>(batch.requests().size());
        List<byte[]> leaves = new ArrayList<>(batch.requests().size());
        List<Digest> ids = new ArrayList<>(batch.requests().size());
        for (ClientRequest request : batch.requests()) {
            Transaction tx = Transaction.fromWire(request.body());
            transactions.add(tx);
            Digest txId = tx.txId();
            leaves.add(txId.bytes());
            ids.add(txId);
        }
        List<Integer> skipped = PriorExecution.skipped(transactions, prior);
        List<StateWrite> writes = new ArrayList<>();
        List<MembershipChange> changes = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        ClientMembership next = clients;
        for (int index = 0; index < transactions.size(); index++) {
            if (java.util.Collections.binarySearch(skipped, index) >= 0) {
                continue;
            }
            Transaction tx = transactions.get(index);
            Digest txId = ids.get(index);
            try {
                Permissions.checkSigner(clients, tx, txId, signatures);
                if (MembershipOp.KEY.equals(tx.key())) {
                    MembershipOp op = MembershipOp.parse(tx.payload());
                    next = next.apply(op, height);
                    changes.add(new MembershipChange(height, index, txId, op));
                } else if (ReplicaOp.KEY.equals(tx.key())) {
                    ReplicaOp op = ReplicaOp.parse(tx.payload());
                    next = next.withReplicas(next.replicas().apply(op, height, batch.sequence(), index, txId), height);
                }
                if (tx.key() != null) {
                    writes.add(new StateWrite(tx.key(), tx.payload(), txId, index));
                }
            } catch (LedgerException refused) {
                refusals.add(new Refusal(height, index, txId, tx.clientId(), refused.kind(), refused.getMessage()));
            }
        }
        BlockHeader header = new BlockHeader(height, previous.hash(), batch.timestamp(),
                batch.view(), batch.sequence(), batch.primary(), batch.batchDigest(),
                new Digest(MerkleTree.root(leaves)), StateHash.next(previous.stateHash(), writes),
                transactions.size());
        return new ExecutedBlock(Block.of(header, transactions, batch.certificate()), writes, skipped, next, changes,
                refusals);
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
