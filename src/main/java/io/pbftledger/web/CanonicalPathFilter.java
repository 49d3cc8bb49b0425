package io.pbftledger.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with 400 problem+json, every request whose raw path is not canonical
 * ({@link RequestPaths#nonCanonical}): {@code ;} parameters, encoded separators or dots, empty or
 * dot segments. No client of the ledger needs them, and they are what makes a container, Spring
 * and a filter read one request as different paths. Runs after the bad-request rate limit (so
 * path fuzzing is charged) and before closed reads and the body cap.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 60)
public class CanonicalPathFilter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String raw = request.getRequestURI();
        String context = request.getContextPath();
        String path = context != null && !context.isEmpty() && raw.startsWith(context) ? raw.substring(context.length()) : raw;
        Optional<String> reason = RequestPaths.nonCanonical(path);
        if (reason.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        // A body, if any, was not read; the connection cannot carry another request.
        response.setHeader("Connection", "close");
        ProblemJson.write(response, ProblemType.INVALID_REQUEST, detail(path, reason.get()), null);
    }

    /** The detail of a refused path: the path, why it is not canonical, and how to spell it. */
    static String detail(String path, String reason) {
        return "request path " + path + " is not canonical: " + reason + "; spell the path plainly (e.g. /api/v1/state/my-key)";
    }
}
