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
 * takes effect: its client must be a member with the right role and key in the membership in
 * effect <em>before</em> the block ({@link Permissions}). So a change made in block h applies from
 * block h+1 on, whatever order the block holds. Membership changes of one block apply one after
 * the other (two revocations of the last two admins: the second is refused). A refused
 * transaction writes nothing and is recorded as a {@link Refusal}.
 */
public final class BlockExecutor {
    private BlockExecutor() {
    }

    /**
     * Executes as if every transaction were permitted and membership transactions were plain writes:
     * for fixtures and tools that build chains of permitted transactions only. Replicas use
     * {@link #execute(BlockHeader, ClientMembership, OrderedBatch, SignatureCheck)}.
     */
    public static ExecutedBlock execute(BlockHeader previous, OrderedBatch batch) {
        List<Transaction> transactions = new ArrayList<>(batch.requests().size());
        List<StateWrite> writes = new ArrayList<>();
        int index = 0;
        for (ClientRequest request : batch.requests()) {
            Transaction tx = Transaction.fromWire(request.body());
            transactions.add(tx);
            if (tx.key() != null) {
                writes.add(new StateWrite(tx.key(), tx.payload(), request.id(), index));
            }
            index++;
        }
        return new ExecutedBlock(block(previous, batch, transactions, writes), writes);
    }

    /**
     * @param previous the header of the last block
     * @param clients  the client membership in effect after {@code previous}
     * @param batch    what PBFT committed at the next sequence (its requests' bodies are the transactions' wire bytes)
     */
    public static ExecutedBlock execute(BlockHeader previous, ClientMembership clients, OrderedBatch batch,
                                        SignatureCheck signatures) {
        long height = previous.height() + 1;
        List<Transaction> transactions = new ArrayList<>(batch.requests().size());
        List<StateWrite> writes = new ArrayList<>();
        List<MembershipChange> changes = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        ClientMembership next = clients;
        int index = 0;
        for (ClientRequest request : batch.requests()) {
            Transaction tx = Transaction.fromWire(request.body());
            Digest txId = request.id();
            transactions.add(tx);
            try {
                Permissions.checkSigner(clients, tx, txId, signatures);
                if (MembershipOp.KEY.equals(tx.key())) {
                    MembershipOp op = MembershipOp.parse(tx.payload());
                    next = next.apply(op, height);
                    changes.add(new MembershipChange(height, index, txId, op));
                }
                if (tx.key() != null) {
                    writes.add(new StateWrite(tx.key(), tx.payload(), txId, index));
                }
            } catch (LedgerException refused) {
                refusals.add(new Refusal(height, index, txId, tx.clientId(), refused.kind(), refused.getMessage()));
            }
            index++;
        }
        return new ExecutedBlock(block(previous, batch, transactions, writes), writes, next, changes, refusals);
    }

    private static Block block(BlockHeader previous, OrderedBatch batch, List<Transaction> transactions,
                               List<StateWrite> writes) {
        List<byte[]> leaves = new ArrayList<>(batch.requests().size());
        for (ClientRequest request : batch.requests()) {
            leaves.add(request.id().bytes());
        }
        BlockHeader header = new BlockHeader(previous.height() + 1, previous.hash(), batch.timestamp(),
                batch.view(), batch.sequence(), batch.primary(), batch.batchDigest(),
                new Digest(MerkleTree.root(leaves)), StateHash.next(previous.stateHash(), writes),
                transactions.size());
        return Block.of(header, transactions, batch.certificate());
    }
}
