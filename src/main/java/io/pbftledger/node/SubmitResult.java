package io.pbftledger.node;

import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;

/** Answer to a submission: PENDING with only the txId, or COMMITTED with the block location. */
public record SubmitResult(Digest txId, TxStatus status, Long blockHeight, Digest blockHash, Integer index) {

    public static SubmitResult pending(Digest txId) {
        return new SubmitResult(txId, TxStatus.PENDING, null, null, null);
    }

    public static SubmitResult committed(TransactionRecord record) {
        return new SubmitResult(record.txId(), TxStatus.COMMITTED, record.blockHeight(), record.blockHash(), record.index());
    }
}
