package io.pbftledger.node;

import java.util.function.LongSupplier;

/**
 * Per-client admission limits of the mempool, so that one client cannot crowd out the others: a
 * token bucket of new transactions per second (with a burst), and a most number of transactions a
 * client may have pending at this replica. Only transactions that are newly admitted count: a
 * refused, duplicate or replayed submission costs its client nothing, so nobody can drain another
 * client's bucket by replaying its transactions or posting forgeries in its name.
 *
 * @param rate                the per-client token buckets (unlimited: no rate limit)
 * @param pendingMaxPerClient most transactions one client may have pending here
 */
public record ClientAdmission(TokenBuckets rate, int pendingMaxPerClient) {
    /** Most client buckets remembered; members beyond it that are all active just get fresh buckets. */
    public static final int DEFAULT_MAX_TRACKED_CLIENTS = 100_000;

    public ClientAdmission {
        if (pendingMaxPerClient < 1) {
            throw new IllegalArgumentException("pendingMaxPerClient must be at least 1");
        }
    }

    /** No per-client limits. */
    public static ClientAdmission unlimited() {
        return new ClientAdmission(new TokenBuckets(TokenBuckets.Limit.UNLIMITED, 1), Integer.MAX_VALUE);
    }

    public static ClientAdmission of(TokenBuckets.Limit limit, int pendingMaxPerClient, LongSupplier nanoClock) {
        return new ClientAdmission(new TokenBuckets(limit, DEFAULT_MAX_TRACKED_CLIENTS, nanoClock), pendingMaxPerClient);
    }

    /** Throws a {@link RateLimitedException} when {@code clientId} may not add a transaction now; else takes a token. */
    void admit(String clientId, int pendingOfClient) {
        if (pendingOfClient >= pendingMaxPerClient) {
            throw new RateLimitedException("client '" + clientId + "' has its maximum of " + pendingMaxPerClient
                    + " transactions pending at this replica; retry once some have committed", 1);
        }
        long waitNanos = rate.tryTake(clientId);
        if (waitNanos > 0) {
            long seconds = RateLimitedException.secondsCovering(waitNanos);
            TokenBuckets.Limit limit = rate.limit();
            throw new RateLimitedException("client '" + clientId + "' is over its rate limit of " + limit.perSecond()
                    + " transactions per second (burst " + limit.burst() + "); retry in " + seconds + " s", seconds);
        }
    }
}
