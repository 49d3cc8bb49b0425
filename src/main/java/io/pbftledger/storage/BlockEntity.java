package io.pbftledger.storage;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.pbft.message.Digest;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code blocks}: one block header and its hash. Immutable: blocks are only ever inserted. */
@Entity
@Immutable
@Table(name = "blocks")
class BlockEntity {
    @Id
    @Column(name = "height")
    private long height;

    // CHAR columns: schema validation compares JDBC types, and a plain String maps to VARCHAR.
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "hash", length = 64, nullable = false)
    private String hash;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "previous_hash", length = 64, nullable = false)
    private String previousHash;

    @Column(name = "timestamp_ms", nullable = false)
    private long timestampMs;

    @Column(name = "view_number", nullable = false)
    private long viewNumber;

    @Column(name = "sequence_number", nullable = false)
    private long sequenceNumber;

    @Column(name = "primary_id", nullable = false)
    private int primaryId;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "batch_digest", length = 64, nullable = false)
    private String batchDigest;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "transactions_root", length = 64, nullable = false)
    private String transactionsRoot;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "state_hash", length = 64, nullable = false)
    private String stateHash;

    @Column(name = "transaction_count", nullable = false)
    private int transactionCount;

    protected BlockEntity() {
        // for JPA
    }

    BlockHeader toHeader() {
        return new BlockHeader(height, Digest.fromHex(previousHash), timestampMs, viewNumber, sequenceNumber,
                primaryId, Digest.fromHex(batchDigest), Digest.fromHex(transactionsRoot), Digest.fromHex(stateHash),
                transactionCount);
    }

    long height() {
        return height;
    }

    /** The stored hash, which {@link io.pbftledger.chain.Block} checks against the header on every read. */
    Digest hash() {
        return Digest.fromHex(hash);
    }
}
