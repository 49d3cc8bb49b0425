package io.pbftledger.api;

import io.pbftledger.node.RateLimitedException;
import io.pbftledger.node.TokenBuckets;
import io.pbftledger.web.ProblemJson;
import io.pbftledger.web.ProblemType;
import io.pbftledger.web.RequestPaths;
import io.pbftledger.web.TrustedProxies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-address limit of refused API requests: each answer with a client-error status (4xx except
 * 404, which honest clients get while polling, and 429 itself) takes a token from the client
 * address's bucket, and an address whose bucket is empty gets 429 with Retry-After for every API
 * request until it refills, before its body is even read. Honest clients, whose requests succeed,
 * never pay; an outsider sending garbage, forgeries or oversized bodies is slowed to
 * {@code ledger.api.rate-limit.bad-requests-per-second-per-ip}. Valid transactions are limited per
 * client instead, at admission to the mempool.
 *
 * <p>The address is the TCP peer's, or, when that peer is one of {@code ledger.api.trusted-proxies},
 * the client its X-Forwarded-For names ({@link TrustedProxies}); nobody else's forwarding headers
 * are read. Clients behind one address (a proxy not configured as trusted, a NAT) share a bucket,
 * so submissions are not refused up front: a transaction submission from an address whose bucket is
 * empty is still read and checked, and goes through when a member's signature verifies; any other
 * outcome is answered with this 429 ({@link #LIMITED_ATTRIBUTE}, applied by the exception handler).
 * So someone else's bad requests never cost a client with a valid signed transaction its submission.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 50)
public class BadRequestRateLimitFilter extends OncePerRequestFilter {
    /**
     * Set on a submission from an address whose bucket is empty: the 429 detail (a {@link Limited})
     * that any refusal of it becomes, unless the submission's signature verified.
     */
    public static final String LIMITED_ATTRIBUTE = BadRequestRateLimitFilter.class.getName() + ".limited";
    static final String SUBMIT_PATH = "/api/v1/transactions";

    /** What a refused submission from a limited address is answered with. */
    public record Limited(String detail, long retryAfterSeconds) {
    }

    private final TokenBuckets buckets;
    private final TrustedProxies proxies;

    public BadRequestRateLimitFilter(ApiProperties properties) {
        ApiProperties.RateLimit rate = properties.rateLimit();
        this.buckets = new TokenBuckets(rate.badRequests(), rate.maxTrackedAddresses());
        this.proxies = TrustedProxies.of(properties.trustedProxies());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.routed(request).startsWith(RequestBodyLimitFilter.API_PREFIX);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = proxies.clientAddress(request);
        long waitNanos = buckets.waitNanos(address);
        if (waitNanos > 0) {
            long retryAfter = RateLimitedException.secondsCovering(waitNanos);
            if (!isSubmission(request)) {
                refuse(request, response, address, retryAfter);
                return;
            }
            request.setAttribute(LIMITED_ATTRIBUTE, new Limited(detail(address, retryAfter)
                    + "; a transaction signed by a member is still accepted", retryAfter));
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (isRefusal(response.getStatus())) {
                buckets.charge(address);
            }
        }
    }

    private static boolean isSubmission(HttpServletRequest request) {
        String path = RequestPaths.routed(request);
        return "POST".equals(request.getMethod())
                && (path.equals(SUBMIT_PATH) || path.equals(RequestBodyLimitFilter.BATCH_PATH));
    }

    private String detail(String address, long retryAfterSeconds) {
        TokenBuckets.Limit limit = buckets.limit();
        return "too many refused requests from " + address + " (more than " + limit.perSecond() + " per second, burst "
                + limit.burst() + "); retry in " + retryAfterSeconds + " s";
    }

    static boolean isRefusal(int status) {
        return status >= 400 && status < 500 && status != HttpStatus.NOT_FOUND.value()
                && status != HttpStatus.TOO_MANY_REQUESTS.value();
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String address,
                        long retryAfterSeconds) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        // The body was not read; the connection cannot carry another request.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        ProblemJson.write(response, ProblemType.RATE_LIMITED, detail(address, retryAfterSeconds), request.getRequestURI());
    }
}
