package io.pbftledger.storage;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.crypto.Ed25519;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code clients}: a client of the membership in effect after the newest block. */
@Entity
@Table(name = "clients")
class ClientEntity {
    @Id
    @Column(name = "client_id", length = 64)
    private String clientId;

    @Column(name = "public_key", length = 44, nullable = false)
    private String publicKey;

    @Column(name = "roles", length = 32, nullable = false)
    private String roles;

    @Column(name = "since_height", nullable = false)
    private long sinceHeight;

    protected ClientEntity() {
        // for JPA
    }

    static ClientEntity of(ClientEntry entry) {
        ClientEntity e = new ClientEntity();
        e.clientId = entry.id();
        e.overwrite(entry);
        return e;
    }

    void overwrite(ClientEntry entry) {
        if (!entry.id().equals(clientId)) {
            throw new IllegalArgumentException("client " + entry.id() + " written to the row of " + clientId);
        }
        publicKey = entry.publicKey().toBase64();
        roles = RoleColumn.format(entry.roles());
        sinceHeight = entry.since();
    }

    ClientEntry toEntry() {
        return new ClientEntry(clientId, Ed25519.PublicKey.fromBase64(publicKey), RoleColumn.parse(roles), sinceHeight);
    }
}
