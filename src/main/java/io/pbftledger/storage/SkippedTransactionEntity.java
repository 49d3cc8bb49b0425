package io.pbftledger.storage;

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
class SkippedTransactionEntity extends TransactionColumns implements TransactionRow {
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

    protected SkippedTransactionEntity() {
        // for JPA
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
