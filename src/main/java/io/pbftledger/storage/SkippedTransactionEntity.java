package io.pbftledger.storage;

import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code skipped_transactions}: a transaction a block holds whose (clientId, nonce) was executed before. */
@Entity
@Immutable
@Table(name = "skipped_transactions")
class SkippedTransactionEntity implements TransactionRow {
    /** (block height, index in the block). */
    @Embeddable
    record Position(@Column(name = "block_height") long blockHeight, @Column(name = "tx_index") int txIndex)
            implements Serializable {
    }

    @EmbeddedId
    private Position position;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "tx_id", length = 64, nullable = false)
    private String txId;

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

    protected SkippedTransactionEntity() {
        // for JPA
    }

    static SkippedTransactionEntity of(Transaction tx, Digest txId, long blockHeight, int txIndex) {
        SkippedTransactionEntity e = new SkippedTransactionEntity();
        e.position = new Position(blockHeight, txIndex);
        e.txId = txId.hex();
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
        return new TransactionRecord(toTransaction(), Digest.fromHex(txId), position.blockHeight(), blockHash,
                position.txIndex());
    }

    @Override
    public long blockHeight() {
        return position.blockHeight();
    }

    @Override
    public int txIndex() {
        return position.txIndex();
    }
}
