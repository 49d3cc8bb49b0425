package io.pbftledger.pbft.message;

import java.util.Objects;

/**
 * A client's signed transaction, opaque to the consensus core.
 *
 * <p>{@code body} is the transaction's wire bytes and {@code id} its request id, the hash of those
 * bytes (signature included), so a certificate over ids binds the exact bodies; both are computed and
 * verified outside the core. The body array is not copied (batches of thousands of
 * requests pass through every replica), so callers must treat it as read-only. Equality is by
 * {@code id}: two requests with the same id are the same transaction.
 *
 * <p>A request with an empty body is a <em>reference</em>: its id, client and nonce without the
 * transaction. View changes carry batches as references (see {@link PrePrepare#withoutBodies()}); a
 * real transaction is never empty, so the two cannot be confused. Only the id of a reference is
 * bound by a signature (the primary's, through the batch digest): its client and nonce are hints.
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

    private static final byte[] NO_BODY = new byte[0];

    /** This request without its transaction: a reference by id (see the class comment). */
    public ClientRequest reference() {
        return isReference() ? this : new ClientRequest(clientId, nonce, id, NO_BODY);
    }

    /** True for a reference, a request whose transaction did not travel with it. */
    public boolean isReference() {
        return body.length == 0;
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
