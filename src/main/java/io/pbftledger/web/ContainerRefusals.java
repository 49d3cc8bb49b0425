package io.pbftledger.web;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-line details for what the servlet container refuses on its own, before (or instead of) the
 * application: a request target it cannot take (an encoded slash or backslash, a NUL, a broken
 * escape, a character outside RFC 3986), a request head over its size limit, TRACE, and any other
 * status it sets with a message of its own. A path that is not canonical gets the detail
 * {@link CanonicalPathFilter} gives the paths that get as far as the application.
 */
public final class ContainerRefusals {
    static final int MESSAGE_MAX_CHARS = 200;
    /** Tomcat's message for a request line whose target holds a character RFC 3986 does not allow. */
    private static final Pattern BAD_TARGET = Pattern.compile("Invalid character found in the request target \\[(.*?) ?\\]");

    private ContainerRefusals() {
    }

    /**
     * @param status    the status the container answers with
     * @param method    the request's method, or null when the request line could not be read
     * @param rawTarget the request target as sent (path and query, undecoded), or null
     * @param message   the container's own message, or null
     */
    public static String detail(int status, String method, String rawTarget, String message) {
        String said = oneLine(message);
        Matcher badTarget = said == null ? null : BAD_TARGET.matcher(said);
        boolean unreadable = badTarget != null && badTarget.find();
        String target = rawTarget == null || rawTarget.isEmpty() ? (unreadable ? badTarget.group(1) : null) : rawTarget;
        String path = target == null || target.isEmpty() ? null : pathOf(target);
        if (path != null && status == 400) {
            Optional<String> reason = RequestPaths.nonCanonical(path);
            if (reason.isPresent()) {
                return CanonicalPathFilter.detail(path, reason.get());
            }
        }
        if (unreadable) {
            return "request target " + (path == null ? "" : path + " ") + "holds a character RFC 3986 does not allow there "
                    + "(a space, quote, brace or control character); percent-encode it";
        }
        if (status == 405 && method != null) {
            return "method " + method + " is not supported" + (path == null ? "" : " by " + path)
                    + ("TRACE".equals(method) ? " (this server answers TRACE on no path)" : "");
        }
        if (status == 404 && method != null && path != null) {
            return "no endpoint " + method + " " + path;
        }
        if (said != null && said.toLowerCase(Locale.ROOT).contains("header is too large")) {
            return "the request head (request line and headers) is larger than this server accepts "
                    + "(server.max-http-request-header-size)";
        }
        String where = path == null ? "the request" : "the request to " + path;
        return said == null
                ? "the HTTP server refused " + where + " with status " + status + " before the ledger read it"
                : "the HTTP server refused " + where + ": " + said;
    }

    private static String pathOf(String rawTarget) {
        int query = rawTarget.indexOf('?');
        return query < 0 ? rawTarget : rawTarget.substring(0, query);
    }

    /** The first line of {@code message}, without control characters and at most 200 characters; null when blank. */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        int nl = message.indexOf('\n');
        String line = (nl < 0 ? message : message.substring(0, nl)).replaceAll("\\p{Cntrl}", "?").strip();
        return line.length() <= MESSAGE_MAX_CHARS ? line : line.substring(0, MESSAGE_MAX_CHARS) + "...";
    }
}
