package io.pbftledger.api;

import io.pbftledger.chain.LedgerException;
import io.pbftledger.node.RateLimitedException;

/** Fixed limits of the public API contract (not configurable: clients rely on them). */
final class ApiLimits {
    static final int BATCH_MAX_TRANSACTIONS = 1000;
    static final long WAIT_DEFAULT_MS = 10_000;
    static final long WAIT_MIN_MS = 1;
    static final long WAIT_MAX_MS = 60_000;
    /** The servlet-level async timeout runs this much past waitMs, so our own timeout always answers first. */
    static final long WAIT_SAFETY_MARGIN_MS = 5_000;
    static final int PAGE_DEFAULT_LIMIT = 20;
    static final int PAGE_MAX_LIMIT = 100;
    static final int RETRY_AFTER_SECONDS = 1;

    private ApiLimits() {
    }

    /** Seconds a refused client should wait: a rate limit knows (its bucket's refill), anything else says 1. */
    static long retryAfterSeconds(LedgerException e) {
        return e instanceof RateLimitedException limited ? limited.retryAfterSeconds() : RETRY_AFTER_SECONDS;
    }

    /** Checks a {@code limit} query parameter. */
    static int pageLimit(int limit) {
        if (limit < 1 || limit > PAGE_MAX_LIMIT) {
            throw LedgerException.invalid(
                    "limit must be between 1 and " + PAGE_MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }
}
