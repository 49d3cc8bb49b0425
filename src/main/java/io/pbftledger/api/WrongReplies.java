package io.pbftledger.api;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;

/**
 * The lies of a replica run with fault injection 'wrong-replies' (tests of the BFT client only): a
 * wrong block location for a transaction (the same lie the node tells on submit), a refused
 * transaction reported as executed, a wrong value for a key, state proofs whose writer was edited, and
 * transaction proofs that put the certified batch under a made-up header (another height, previous hash
 * and state hash): those verify, since the commit certificate signs the batch, not the header. It signs
 * its lies with its real key, as a Byzantine replica would, so only f+1 matching signed statements of
 * other replicas, or a proof that does not verify, expose them.
 */
final class WrongReplies {
    static final String FORGED_VALUE = "{\"forgedBy\":\"wrong-replies\"}";

    private WrongReplies() {
    }

    /** The block after the real one, with a corrupted hash (as ReplicaService's submit answers). */
    static TransactionRecord location(TransactionRecord truth) {
        byte[] wrong = truth.blockHash().bytes();
        wrong[0] ^= 0x5a;
        return new TransactionRecord(truth.transaction(), truth.txId(), truth.blockHeight() + 1, new Digest(wrong),
                truth.index());
    }

    /** The block's certified batch under a header one height up, with invented previous and state hashes. */
    static Block forgedHeader(Block truth) {
        BlockHeader h = truth.header();
        byte[] invented = h.stateHash().bytes();
        invented[0] ^= 0x5a;
        Digest made = new Digest(invented);
        BlockHeader forged = new BlockHeader(h.height() + 1, made, h.timestamp(), h.view(), h.sequence(), h.primary(),
                h.batchDigest(), h.transactionsRoot(), made, h.transactionCount());
        return Block.of(forged, truth.transactions(), truth.certificate());
    }

    /** The record placed in {@code block}. */
    static TransactionRecord in(TransactionRecord truth, Block block) {
        return new TransactionRecord(truth.transaction(), truth.txId(), block.height(), block.hash(), truth.index());
    }

    /** The same transaction claiming another payload (its signature and txId no longer match). */
    static TransactionRecord editedTransaction(TransactionRecord truth) {
        Transaction tx = truth.transaction();
        Transaction edited = new Transaction(tx.chainId(), tx.clientId(), tx.nonce(), tx.key(), FORGED_VALUE,
                tx.signature());
        return new TransactionRecord(edited, truth.txId(), truth.blockHeight(), truth.blockHash(), truth.index());
    }

    /** Every transaction took effect: a refusal reported (and signed) as a success. */
    static TransactionOutcome outcome(TransactionOutcome truth) {
        return TransactionOutcome.executed();
    }

    static StateEntry value(StateEntry truth) {
        return new StateEntry(truth.key(), FORGED_VALUE, truth.blockHeight(), truth.txId());
    }
}
