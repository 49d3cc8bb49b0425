package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A client in the client membership in effect: its key, its roles, and {@code since}, the height of
 * the block that last changed it (0 for clients of the membership file).
 */
public record ClientEntry(String id, Ed25519.PublicKey publicKey, Set<Role> roles, long since) {

    public ClientEntry {
        if (id == null || !Transaction.ID_PATTERN.matcher(id).matches()) {
            throw new IllegalArgumentException("client id '" + id + "' must match " + Transaction.ID_PATTERN.pattern());
        }
        Objects.requireNonNull(publicKey, "publicKey");
        if (since < 0) {
            throw new IllegalArgumentException("since must be a height (>= 0), got " + since);
        }
        // Enum order (submit, read, admin): the order the checkpoint digest hashes roles in.
        roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
    }

    public static ClientEntry of(Membership.Client client) {
        return new ClientEntry(client.id(), client.publicKey(), client.roles(), 0);
    }

    public boolean may(Role role) {
        return roles.contains(role);
    }

    /** Admin implies every other right. */
    public boolean mayAct(Role role) {
        return roles.contains(role) || roles.contains(Role.ADMIN);
    }
}
