package io.pbftledger.storage;

import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;

/** A stored transaction of a block, executed ({@link TransactionEntity}) or skipped ({@link SkippedTransactionEntity}). */
interface TransactionRow {
    long blockHeight();

    int txIndex();

    Transaction toTransaction();

    TransactionRecord toRecord(Digest blockHash);
}
