package io.pbftledger.storage;

import io.pbftledger.chain.StateEntry;
import io.pbftledger.pbft.message.Digest;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code world_state}: the latest value of one key. The only table whose rows change. */
@Entity
@Table(name = "world_state")
class WorldStateEntity {
    @Id
    @Column(name = "state_key", length = 256)
    private String stateKey;

    @Column(name = "state_value", length = 65536, nullable = false)
    private String stateValue;

    @Column(name = "block_height", nullable = false)
    private long blockHeight;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "tx_id", length = 64, nullable = false)
    private String txId;

    protected WorldStateEntity() {
        // for JPA
    }

    String stateKey() {
        return stateKey;
    }

    StateEntry toEntry() {
        return new StateEntry(stateKey, stateValue, blockHeight, Digest.fromHex(txId));
    }
}
