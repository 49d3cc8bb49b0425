package io.pbftledger.storage;

import io.pbftledger.chain.StateEntry;
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

/** A row of {@code state_history}: one write, kept forever so a key's past values can be listed. */
@Entity
@Immutable
@Table(name = "state_history")
class StateHistoryEntity {

    /** Primary key (block_height, tx_index): a transaction writes at most one key. */
    @Embeddable
    record Key(@Column(name = "block_height") long blockHeight, @Column(name = "tx_index") int txIndex)
            implements Serializable {
    }

    @EmbeddedId
    private Key id;

    @Column(name = "state_key", length = 256, nullable = false)
    private String stateKey;

    @Column(name = "state_value", length = 65536, nullable = false)
    private String stateValue;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "tx_id", length = 64, nullable = false)
    private String txId;

    protected StateHistoryEntity() {
        // for JPA
    }

    StateEntry toEntry() {
        return new StateEntry(stateKey, stateValue, id.blockHeight(), Digest.fromHex(txId));
    }
}
