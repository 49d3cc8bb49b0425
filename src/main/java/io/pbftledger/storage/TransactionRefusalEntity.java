package io.pbftledger.storage;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.Refusal;
import io.pbftledger.pbft.message.Digest;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code transaction_refusals}: an ordered transaction that execution refused. */
@Entity
@Immutable
@Table(name = "transaction_refusals")
class TransactionRefusalEntity {
    /** The column's width; longer reasons are cut (they are one-line explanations). */
    static final int REASON_MAX_CHARS = 1024;

    @Id
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "tx_id", length = 64)
    private String txId;

    @Column(name = "block_height", nullable = false)
    private long blockHeight;

    @Column(name = "tx_index", nullable = false)
    private int txIndex;

    @Column(name = "client_id", length = 64, nullable = false)
    private String clientId;

    @Column(name = "error_kind", length = 16, nullable = false)
    private String errorKind;

    @Column(name = "reason", length = REASON_MAX_CHARS, nullable = false)
    private String reason;

    protected TransactionRefusalEntity() {
        // for JPA
    }

    Refusal toRefusal() {
        return new Refusal(blockHeight, txIndex, Digest.fromHex(txId), clientId, ErrorKind.valueOf(errorKind), reason);
    }
}
