package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import java.util.Objects;

/**
 * A change of the replica set, carried by an ordinary transaction that an {@code admin} client signs
 * with {@code key = "ledger:replicas"} and one of these payloads:
 * <pre>
 *   {"op":"add","replicaId":4,"url":"http://10.0.0.5:8080","publicKey":"&lt;base64 Ed25519&gt;"}
 *   {"op":"remove","replicaId":1}
 *   {"op":"rotate-key","replicaId":2,"publicKey":"&lt;base64 Ed25519&gt;"}
 *   {"op":"set-url","replicaId":3,"url":"https://replica-3.example:8443"}
 * </pre>
 * Executed in the block at sequence s, it takes effect at the first checkpoint at or above s
 * ({@link ReplicaRoster}).
 */
public sealed interface ReplicaOp {
    /** The state key of replica-set transactions. */
    String KEY = "ledger:replicas";

    int replicaId();

    /** The {@code op} field: add, remove, rotate-key or set-url. */
    String label();

    /** Parses a replica-set payload (any JSON form), or throws INVALID with the reason. */
    static ReplicaOp parse(String payloadJson) {
        return ReplicaOpParser.parse(payloadJson);
    }

    /** The payload in one canonical JSON form (fields in the order of the class comment), which {@link #parse} reads back. */
    default String toJson() {
        return ReplicaOpParser.toJson(this);
    }

    /** Adds a replica under an id never used on this chain. */
    record Add(int replicaId, String url, Ed25519.PublicKey publicKey) implements ReplicaOp {
        public Add {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(publicKey, "publicKey");
        }

        @Override
        public String label() {
            return "add";
        }
    }

    /** Removes a member; its messages count for nothing from the next epoch on. */
    record Remove(int replicaId) implements ReplicaOp {
        @Override
        public String label() {
            return "remove";
        }
    }

    /** Gives a member a new key; the old one is refused from the next epoch on. */
    record RotateKey(int replicaId, Ed25519.PublicKey publicKey) implements ReplicaOp {
        public RotateKey {
            Objects.requireNonNull(publicKey, "publicKey");
        }

        @Override
        public String label() {
            return "rotate-key";
        }
    }

    /** Moves a member to a new base URL. */
    record SetUrl(int replicaId, String url) implements ReplicaOp {
        public SetUrl {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String label() {
            return "set-url";
        }
    }
}
