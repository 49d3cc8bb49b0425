package io.pbftledger.storage;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import org.hibernate.annotations.Immutable;

/**
 * A row of {@code checkpoint_signatures}: one replica's signature in a checkpoint's proof. The
 * signed CHECKPOINT is rebuilt from the checkpoint's sequence and state digest.
 */
@Entity
@Immutable
@Table(name = "checkpoint_signatures")
class CheckpointSignatureEntity {

    /** Primary key (sequence, replica_id). */
    @Embeddable
    record Key(@Column(name = "sequence") long sequence, @Column(name = "replica_id") int replicaId)
            implements Serializable {
    }

    @EmbeddedId
    private Key id;

    @Column(name = "signature", nullable = false)
    private byte[] signature;

    protected CheckpointSignatureEntity() {
        // for JPA
    }

    static CheckpointSignatureEntity of(Signed<Checkpoint> signed) {
        CheckpointSignatureEntity e = new CheckpointSignatureEntity();
        e.id = new Key(signed.message().sequence(), signed.message().replica());
        e.signature = signed.signature().clone();
        return e;
    }

    long sequence() {
        return id.sequence();
    }

    Signed<Checkpoint> toSigned(Digest stateDigest) {
        return new Signed<>(new Checkpoint(id.replicaId(), id.sequence(), stateDigest), signature.clone());
    }
}
