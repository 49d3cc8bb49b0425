package io.pbftledger.storage;

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
class TransactionEntity extends TransactionColumns implements TransactionRow {
    @Id
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "tx_id", length = 64)
    private String txId;

    @Column(name = "block_height", nullable = false)
    private long blockHeight;

    @Column(name = "tx_index", nullable = false)
    private int txIndex;

    protected TransactionEntity() {
        // for JPA
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
