package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;

/** A committed transaction and where it sits: block height, block hash, index inside the block. */
public record TransactionRecord(Transaction transaction, Digest txId, long blockHeight, Digest blockHash, int index) {
}
