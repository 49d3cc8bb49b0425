package io.pbftledger.client;

import java.util.Objects;

/**
 * Why execution refused an ordered transaction, as the replicas stored and signed it.
 *
 * @param kind   FORBIDDEN (client unknown, revoked or without the role), INVALID (e.g. a membership change
 *               that does not apply) or another error kind of the ledger
 * @param reason the one-line reason execution gave
 */
public record ExecutionRefusal(String kind, String reason) {
    public ExecutionRefusal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return kind + ": " + reason;
    }
}
