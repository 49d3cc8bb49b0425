package io.pbftledger.api;

import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;

/**
 * The lies of a replica run with fault injection 'wrong-replies' (tests of the BFT client only): a
 * wrong block location for a transaction (the same lie the node tells on submit), a refused
 * transaction reported as executed, a wrong value for a key, and proofs whose transaction was edited. It signs its lies with its real key, as a
 * Byzantine replica would, so only agreement with other replicas or a proof can expose them.
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
