package io.pbftledger.storage;

import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code transactions}: a committed transaction and its place in the chain. */
@Entity
@Immutable
@Table(name = "transactions")
class TransactionEntity implements TransactionRow {
    @Id
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "tx_id", length = 64)
    private String txId;

    @Column(name = "block_height", nullable = false)
    private long blockHeight;

    @Column(name = "tx_index", nullable = false)
    private int txIndex;

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

    protected TransactionEntity() {
        // for JPA
    }

    static TransactionEntity of(Transaction tx, Digest txId, long blockHeight, int txIndex) {
        TransactionEntity e = new TransactionEntity();
        e.txId = txId.hex();
        e.blockHeight = blockHeight;
        e.txIndex = txIndex;
        e.chainId = tx.chainId();
        e.clientId = tx.clientId();
        e.nonce = tx.nonce();
        e.txKey = tx.key();
        e.payload = tx.payload();
        e.signature = tx.signature();
        return e;
    }

    @Override
    public Transaction toTransaction() {
        return new Transaction(chainId, clientId, nonce, txKey, payload, signature);
    }

    @Override
    public TransactionRecord toRecord(Digest blockHash) {
        return new TransactionRecord(toTransaction(), Digest.fromHex(txId), blockHeight, blockHash, txIndex);
    }

    @Override
    public long blockHeight() {
        return blockHeight;
    }

    @Override
    public int txIndex() {
        return txIndex;
    }
}
