package io.pbftledger.storage;

import io.pbftledger.chain.Transaction;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

/**
 * The columns of a stored transaction's signed content, shared by executed ({@code transactions})
 * and skipped ({@code skipped_transactions}) rows, which differ only in their keys.
 */
@MappedSuperclass
abstract class TransactionColumns {
    @Column(name = "chain_id", length = 64, nullable = false)
    private String chainId;

    @Column(name = "client_id", length = 64, nullable = false)
    private String clientId;

    @Column(name = "nonce", nullable = false)
    private long nonce;

    @Column(name = "tx_key", length = 256)
    private String txKey;

    @Column(name = "payload", length = 65536, nullable = false)
    private String payload;

    @Column(name = "signature", nullable = false)
    private byte[] signature;

    protected TransactionColumns() {
        // for JPA
    }

    final String clientId() {
        return clientId;
    }

    final long nonce() {
        return nonce;
    }

    public Transaction toTransaction() {
        return new Transaction(chainId, clientId, nonce, txKey, payload, signature);
    }
}
