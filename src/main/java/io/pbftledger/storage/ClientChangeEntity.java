package io.pbftledger.storage;

import io.pbftledger.chain.ClientEntry;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code client_changes}: one change of the client membership, kept forever. */
@Entity
@Immutable
@Table(name = "client_changes")
class ClientChangeEntity {
    static final String GENESIS = "genesis";

    /** Primary key (block_height, tx_index). */
    @Embeddable
    record Key(@Column(name = "block_height") long blockHeight, @Column(name = "tx_index") int txIndex)
            implements Serializable {
    }

    @EmbeddedId
    private Key id;

    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "tx_id", length = 64)
    private String txId;

    @Column(name = "op", length = 16, nullable = false)
    private String op;

    @Column(name = "client_id", length = 64, nullable = false)
    private String clientId;

    @Column(name = "public_key", length = 44)
    private String publicKey;

    @Column(name = "roles", length = 32)
    private String roles;

    protected ClientChangeEntity() {
        // for JPA
    }

    /** A client of the membership file, the {@code ordinal}-th by id. */
    static ClientChangeEntity genesis(ClientEntry client, int ordinal) {
        ClientChangeEntity e = new ClientChangeEntity();
        e.id = new Key(0, ordinal);
        e.op = GENESIS;
        e.clientId = client.id();
        e.publicKey = client.publicKey().toBase64();
        e.roles = RoleColumn.format(client.roles());
        return e;
    }

    long blockHeight() {
        return id.blockHeight();
    }

    String op() {
        return op;
    }

    String clientId() {
        return clientId;
    }

    String publicKey() {
        return publicKey;
    }

    String roles() {
        return roles;
    }
}
