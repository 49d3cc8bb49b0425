package io.pbftledger.pbft.message;

import java.util.Objects;

/**
 * A client's signed transaction, opaque to the consensus core.
 *
 * <p>{@code body} is the transaction's wire bytes and {@code id} its transaction id; both are
 * computed and verified outside the core. The body array is not copied (batches of thousands of
 * requests pass through every replica), so callers must treat it as read-only. Equality is by
 * {@code id}: two requests with the same id are the same transaction.
 */
public record ClientRequest(String clientId, long nonce, Digest id, byte[] body) {
    public ClientRequest {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must not be negative: " + nonce);
        }
    }

    /** Size of the body in bytes, the unit of the batch byte limits. */
    public int size() {
        return body.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientRequest r && id.equals(r.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ClientRequest[" + clientId + "#" + nonce + ", id=" + id + ", " + body.length + " bytes]";
    }
}
