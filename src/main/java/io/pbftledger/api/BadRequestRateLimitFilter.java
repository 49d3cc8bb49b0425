package io.pbftledger.api;

import io.pbftledger.node.RateLimitedException;
import io.pbftledger.node.TokenBuckets;
import io.pbftledger.web.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-address limit of refused API requests: each answer with a client-error status (4xx except
 * 404, which honest clients get while polling, and 429 itself) takes a token from the remote
 * address's bucket, and an address whose bucket is empty gets 429 with Retry-After for every API
 * request until it refills, before its body is even read. Honest clients, whose requests succeed,
 * never pay; an outsider sending garbage, forgeries or oversized bodies is slowed to
 * {@code ledger.api.rate-limit.bad-requests-per-second-per-ip}. Valid transactions are limited per
 * client instead, at admission to the mempool. The address is the TCP peer's: forwarding headers
 * are not trusted, since anyone can set them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 50)
public class BadRequestRateLimitFilter extends OncePerRequestFilter {
    private final TokenBuckets buckets;

    public BadRequestRateLimitFilter(ApiProperties properties) {
        ApiProperties.RateLimit rate = properties.rateLimit();
        this.buckets = new TokenBuckets(rate.badRequests(), rate.maxTrackedAddresses());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.routed(request).startsWith(RequestBodyLimitFilter.API_PREFIX);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        long waitNanos = buckets.waitNanos(address);
        if (waitNanos > 0) {
            refuse(request, response, RateLimitedException.secondsCovering(waitNanos));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (isRefusal(response.getStatus())) {
                buckets.charge(address);
            }
        }
    }

    static boolean isRefusal(int status) {
        return status >= 400 && status < 500 && status != HttpStatus.NOT_FOUND.value()
                && status != HttpStatus.TOO_MANY_REQUESTS.value();
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds)
            throws IOException {
        HttpStatus status = HttpStatus.TOO_MANY_REQUESTS;
        TokenBuckets.Limit limit = buckets.limit();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", "too many refused requests from " + request.getRemoteAddr() + " (more than "
                + limit.perSecond() + " per second, burst " + limit.burst() + "); retry in " + retryAfterSeconds + " s");
        problem.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // The body was not read; the connection cannot carry another request.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.getOutputStream().write(JsonMapper.shared().writeValueAsBytes(problem));
    }
}
