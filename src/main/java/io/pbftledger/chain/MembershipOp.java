package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A change of the client membership, carried by an ordinary transaction that an {@code admin} client
 * signs with {@code key = "ledger:membership"} and one of these payloads:
 * <pre>
 *   {"op":"add","clientId":"c","publicKey":"&lt;base64 Ed25519&gt;","roles":["submit","read"]}
 *   {"op":"revoke","clientId":"c"}
 *   {"op":"roles","clientId":"c","roles":["read"]}
 * </pre>
 * The transaction's signed bytes are the usual ones; only its key and payload give it this meaning.
 * Every key starting with {@code "ledger:"} is reserved for such system transactions.
 */
public sealed interface MembershipOp {
    /** The state key of membership transactions. */
    String KEY = "ledger:membership";
    /** Keys with this prefix are reserved: ordinary transactions may not write them. */
    String RESERVED_PREFIX = "ledger:";

    String clientId();

    /** The {@code op} field: add, revoke or roles. */
    String label();

    static boolean isReserved(String key) {
        return key != null && key.startsWith(RESERVED_PREFIX);
    }

    /** Parses a membership payload (any JSON form), or throws INVALID with the reason. */
    static MembershipOp parse(String payloadJson) {
        return MembershipOpParser.parse(payloadJson);
    }

    /** Adds a client that is not a member now. */
    record Add(String clientId, Ed25519.PublicKey publicKey, Set<Role> roles) implements MembershipOp {
        public Add {
            Objects.requireNonNull(publicKey, "publicKey");
            roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
        }

        @Override
        public String label() {
            return "add";
        }
    }

    /** Removes a member; its key is refused from the next block on. */
    record Revoke(String clientId) implements MembershipOp {
        @Override
        public String label() {
            return "revoke";
        }
    }

    /** Replaces a member's roles. */
    record SetRoles(String clientId, Set<Role> roles) implements MembershipOp {
        public SetRoles {
            roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
        }

        @Override
        public String label() {
            return "roles";
        }
    }
}
