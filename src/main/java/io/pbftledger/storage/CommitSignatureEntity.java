package io.pbftledger.storage;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Signed;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import org.hibernate.annotations.Immutable;

/**
 * A row of {@code commit_signatures}: one replica's signature in a block's commit certificate. The
 * signed COMMIT is not stored: its view, sequence and batch digest are the block header's.
 */
@Entity
@Immutable
@Table(name = "commit_signatures")
class CommitSignatureEntity {

    /** Primary key (block_height, replica_id). */
    @Embeddable
    record Key(@Column(name = "block_height") long blockHeight, @Column(name = "replica_id") int replicaId)
            implements Serializable {
    }

    @EmbeddedId
    private Key id;

    @Column(name = "signature", nullable = false)
    private byte[] signature;

    protected CommitSignatureEntity() {
        // for JPA
    }

    long blockHeight() {
        return id.blockHeight();
    }

    /** The signed COMMIT, rebuilt from the header of the block it certifies. */
    Signed<Commit> toSigned(BlockHeader header) {
        if (header.height() != id.blockHeight()) {
            throw new IllegalArgumentException("signature of block " + id.blockHeight() + " paired with block " + header.height());
        }
        Commit commit = new Commit(id.replicaId(), header.view(), header.sequence(), header.batchDigest());
        return new Signed<>(commit, signature.clone());
    }
}
