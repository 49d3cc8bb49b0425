package io.pbftledger.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * The one path every filter decides on: the path the servlet container routes on (decoded,
 * without {@code ;} parameters, dot segments resolved; Spring MVC's dispatcher is mapped at
 * {@code /}, so it is the servlet path), never the raw request URI. {@link CanonicalPathFilter}
 * refuses every request whose raw spelling could be read differently by the container, Spring
 * and a filter, so for the requests that get through, all of them see the same path.
 */
public final class RequestPaths {
    private RequestPaths() {
    }

    /** The decoded, normalized path the request is routed on, relative to the context path. */
    public static String routed(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String routed = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        if (!routed.isEmpty()) {
            return routed;
        }
        // Only a request built by hand (a mock) has neither; its URI is all there is.
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /**
     * Why the raw request path {@code raw} (without query) is not canonical, or empty when it is: no
     * {@code ;} path parameters, no backslashes, no broken escapes, no percent-encoded '.', '/', '\', '%', ';' or control
     * characters, no empty segments and no '.' or '..' segments. Percent-encoded ordinary characters
     * are canonical: they decode to one path, which is the routed one.
     */
    public static Optional<String> nonCanonical(String raw) {
        if (raw.indexOf(';') >= 0) {
            return Optional.of("path parameters (';') are not accepted");
        }
        if (raw.indexOf('\\') >= 0) {
            return Optional.of("backslashes are not accepted");
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        for (int i = lower.indexOf('%'); i >= 0; i = lower.indexOf('%', i + 1)) {
            String code = i + 3 <= lower.length() ? lower.substring(i + 1, i + 3) : "";
            if (!code.matches("[0-9a-f]{2}")) {
                return Optional.of("a '%' not followed by two hexadecimal digits is not accepted");
            }
            if (code.equals("2e") || code.equals("2f") || code.equals("5c")
                    || code.equals("25") || code.equals("3b") || code.compareTo("20") < 0 || code.equals("7f")) {
                return Optional.of("percent-encoded '.', '/', '\\', '%', ';' or control characters are not accepted");
            }
        }
        if (raw.contains("//")) {
            return Optional.of("empty path segments ('//') are not accepted");
        }
        for (String segment : raw.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("'.' and '..' segments are not accepted");
            }
        }
        return Optional.empty();
    }
}
