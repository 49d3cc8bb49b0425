package io.pbftledger.node;

/** Where a transaction stands. */
public enum TxStatus {
    PENDING, COMMITTED
}
