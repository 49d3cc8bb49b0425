package io.pbftledger.api;

import io.pbftledger.web.ProblemJson;
import io.pbftledger.web.ProblemType;
import io.pbftledger.web.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps API request bodies before anything parses them: Tomcat's size limits cover form posts, not
 * JSON. A declared Content-Length over the limit is refused without reading; otherwise at most
 * limit + 1 bytes are read, so a chunked body cannot grow without bound either. Every byte read is
 * first reserved in the replica-wide {@link InFlightBodies} budget (the declared length at once, a
 * chunked body piece by piece) and released when the request is answered: when the budget is full,
 * the request is refused with 503 and Retry-After before more is read, so concurrent large bodies
 * cannot take the heap. Accepted bodies are handed on from memory. Refusals are problem+json
 * written here, since this runs outside Spring MVC's exception handling.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
public class RequestBodyLimitFilter extends OncePerRequestFilter {
    static final String API_PREFIX = "/api/";
    static final String BATCH_PATH = "/api/v1/transactions/batch";
    /** How much of a body of unknown length is reserved and read at a time. */
    static final int CHUNK_BYTES = 64 * 1024;
    static final String BUDGET_PROPERTY = "ledger.api.in-flight-body-max-bytes";

    private final ApiProperties properties;
    private final InFlightBodies budget;

    /** With a budget of its own (tests of the size limits alone). */
    public RequestBodyLimitFilter(ApiProperties properties) {
        this(properties, new InFlightBodies(properties.inFlightBodyMaxBytes()));
    }

    @Autowired
    public RequestBodyLimitFilter(ApiProperties properties, InFlightBodies budget) {
        this.properties = properties;
        this.budget = budget;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        boolean hasBody = "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
        return !hasBody || !path(request).startsWith(API_PREFIX);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean batch = path(request).equals(BATCH_PATH);
        long limitBytes = batch ? properties.batchRequestBodyMaxBytes() : properties.requestBodyMaxBytes();
        String property = batch ? "ledger.api.batch-request-body-max-bytes" : "ledger.api.request-body-max-bytes";
        long declared = request.getContentLengthLong();
        if (declared > limitBytes) {
            refuse(request, response, ProblemType.PAYLOAD_TOO_LARGE, "request body of " + declared
                    + " bytes exceeds the limit of " + limitBytes + " bytes (" + property + ")");
            return;
        }
        long[] reserved = {0};
        try {
            byte[] body = declared >= 0 ? readDeclared(request, declared, reserved) : readChunked(request, limitBytes, reserved);
            if (body == null) {
                response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(ApiLimits.RETRY_AFTER_SECONDS));
                refuse(request, response, ProblemType.UNAVAILABLE, "this replica holds as many request-body "
                        + "bytes as it accepts at once (" + budget.maxBytes() + " bytes, " + BUDGET_PROPERTY
                        + "); retry in " + ApiLimits.RETRY_AFTER_SECONDS + " s");
                return;
            }
            if (body.length > limitBytes) {
                refuse(request, response, ProblemType.PAYLOAD_TOO_LARGE, "request body exceeds the limit of "
                        + limitBytes + " bytes (" + property + ")");
                return;
            }
            BufferedBodyRequest buffered = new BufferedBodyRequest(request, body);
            try {
                chain.doFilter(buffered, response);
            } finally {
                // An answer held open (wait=true) keeps the request, not the body.
                buffered.discard();
            }
        } finally {
            budget.release(reserved[0]);
        }
    }

    /** The body of a declared length, reserved in the budget at once; null when it does not fit. */
    private byte[] readDeclared(HttpServletRequest request, long declared, long[] reserved) throws IOException {
        if (!budget.tryReserve(declared)) {
            return null;
        }
        reserved[0] = declared;
        return request.getInputStream().readNBytes((int) declared);
    }

    /**
     * A body of unknown length (chunked), reserved and read {@link #CHUNK_BYTES} at a time, at most
     * {@code limitBytes} + 1 bytes; null when the budget has no room for the next piece.
     */
    private byte[] readChunked(HttpServletRequest request, long limitBytes, long[] reserved) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] piece = new byte[CHUNK_BYTES];
        ServletInputStream in = request.getInputStream();
        while (out.size() <= limitBytes) {
            int want = (int) Math.min(CHUNK_BYTES, limitBytes + 1 - out.size());
            // Twice what is read: the growing buffer doubles, and the body is one more copy of it.
            if (!budget.tryReserve(2L * want)) {
                return null;
            }
            reserved[0] += 2L * want;
            int n = in.readNBytes(piece, 0, want);
            out.write(piece, 0, n);
            if (n < want) {
                break;
            }
        }
        return out.toByteArray();
    }

    private static String path(HttpServletRequest request) {
        return RequestPaths.routed(request);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, ProblemType type,
                               String detail) throws IOException {
        // The unread rest of the body makes the connection unusable for another request.
        response.setHeader("Connection", "close");
        ProblemJson.write(response, type, detail, path(request));
    }

    /** The request with its body already in memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private volatile byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        /** Lets the body go once the handler has read it (its bytes are released from the budget). */
        void discard() {
            body = new byte[0];
        }

        @Override
        public ServletInputStream getInputStream() {
            return new ByteArrayServletInputStream(new ByteArrayInputStream(body));
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    private static final class ByteArrayServletInputStream extends ServletInputStream {
        private final ByteArrayInputStream in;

        ByteArrayServletInputStream(ByteArrayInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("the body is already buffered; read it synchronously");
        }
    }
}
