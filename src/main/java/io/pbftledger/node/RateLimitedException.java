package io.pbftledger.node;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;

/** An OVERLOADED refusal that knows when the client may try again (HTTP 429 with Retry-After). */
public final class RateLimitedException extends LedgerException {
    private final long retryAfterSeconds;

    public RateLimitedException(String detail, long retryAfterSeconds) {
        super(ErrorKind.OVERLOADED, detail);
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds must be at least 1");
        }
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Whole seconds covering {@code nanos}, at least 1 (Retry-After has a resolution of seconds). */
    public static long secondsCovering(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
