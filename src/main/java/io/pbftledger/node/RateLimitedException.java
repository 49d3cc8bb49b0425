package io.pbftledger.node;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;

/**
 * An OVERLOADED refusal that knows when the client may try again (HTTP 429 with Retry-After), and
 * whose limit was reached.
 */
public final class RateLimitedException extends LedgerException {
    /** Whose limit a refused request ran into. */
    public enum Scope {
        /** The client's own: its rate, its pending transactions, its streams. */
        CLIENT,
        /** The replica's mempool, shared by all clients. */
        MEMPOOL,
        /** The replica's capacity for this kind of work, shared by all clients. */
        REPLICA
    }

    private final Scope scope;
    private final long retryAfterSeconds;

    /** A client over a limit of its own. */
    public RateLimitedException(String detail, long retryAfterSeconds) {
        this(Scope.CLIENT, detail, retryAfterSeconds);
    }

    public RateLimitedException(Scope scope, String detail, long retryAfterSeconds) {
        super(ErrorKind.OVERLOADED, detail);
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds must be at least 1");
        }
        this.scope = scope;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Scope scope() {
        return scope;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Whole seconds covering {@code nanos}, at least 1 (Retry-After has a resolution of seconds). */
    public static long secondsCovering(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
