package io.pbftledger.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code checkpoints}: a stable checkpoint (its signatures are in checkpoint_signatures). */
@Entity
@Immutable
@Table(name = "checkpoints")
class CheckpointEntity {
    @Id
    @Column(name = "sequence")
    private long sequence;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "state_digest", nullable = false, length = 64)
    private String stateDigest;

    @Column(name = "block_height", nullable = false)
    private long blockHeight;

    @Column(name = "created", nullable = false)
    private OffsetDateTime created;

    protected CheckpointEntity() {
        // for JPA
    }

    CheckpointEntity(long sequence, String stateDigest, long blockHeight, OffsetDateTime created) {
        this.sequence = sequence;
        this.stateDigest = stateDigest;
        this.blockHeight = blockHeight;
        this.created = created;
    }

    long sequence() {
        return sequence;
    }

    String stateDigest() {
        return stateDigest;
    }

    long blockHeight() {
        return blockHeight;
    }

    OffsetDateTime created() {
        return created;
    }
}
