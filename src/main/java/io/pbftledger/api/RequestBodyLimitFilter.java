package io.pbftledger.api;

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
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Caps API request bodies before anything parses them: Tomcat's size limits cover form posts, not
 * JSON. A declared Content-Length over the limit is refused without reading; otherwise at most
 * limit + 1 bytes are read, so a chunked body cannot grow without bound either. Accepted bodies
 * are handed on from memory. Refusals are 413 problem+json written here, since this runs outside
 * Spring MVC's exception handling.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
public class RequestBodyLimitFilter extends OncePerRequestFilter {
    static final String API_PREFIX = "/api/";
    static final String BATCH_PATH = "/api/v1/transactions/batch";

    private final ApiProperties properties;

    public RequestBodyLimitFilter(ApiProperties properties) {
        this.properties = properties;
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
            refuse(request, response, "request body of " + declared + " bytes exceeds the limit of " + limitBytes
                    + " bytes (" + property + ")");
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) limitBytes + 1);
        if (body.length > limitBytes) {
            refuse(request, response, "request body exceeds the limit of " + limitBytes + " bytes (" + property + ")");
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    private static String path(HttpServletRequest request) {
        return RequestPaths.routed(request);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        HttpStatus status = HttpStatus.CONTENT_TOO_LARGE;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", path(request));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // The unread rest of the body makes the connection unusable for another request.
        response.setHeader("Connection", "close");
        response.getOutputStream().write(JsonMapper.shared().writeValueAsBytes(problem));
    }

    /** The request with its body already in memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
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
