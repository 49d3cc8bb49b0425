package io.pbftledger.client;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ReadRequestSignature;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON over HTTP to the replicas; answers of any status come back parsed, transport failures as exceptions. */
final class ReplicaHttp {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int ERROR_EXCERPT_MAX_CHARS = 200;

    /** One HTTP answer: status, the JSON body (null when the body is not JSON) and its text. */
    record Reply(URI uri, int status, JsonNode body, String text) {

        boolean ok() {
            return status >= 200 && status < 300 && body != null && body.isObject();
        }

        /** The problem's detail, or a short excerpt of a non-problem body, for messages. */
        String problem() {
            if (body != null && body.isObject() && body.hasNonNull("detail")) {
                return body.get("detail").asString() + " (HTTP " + status + ")";
            }
            String excerpt = text == null ? "" : text.strip().replaceAll("\\s+", " ");
            if (excerpt.length() > ERROR_EXCERPT_MAX_CHARS) {
                excerpt = excerpt.substring(0, ERROR_EXCERPT_MAX_CHARS) + "...";
            }
            return "HTTP " + status + " from " + uri + (excerpt.isEmpty() ? "" : ": " + excerpt);
        }
    }

    private final HttpClient http;
    private final ClientIdentity readSigner;

    /** {@code sslContext} (may be null: the JDK's defaults) serves https:// replicas. */
    ReplicaHttp(ExecutorService executor, SSLContext sslContext) {
        this(executor, sslContext, null);
    }

    /**
     * {@code readSigner} (may be null) signs every GET with the headers of {@link ReadRequestSignature},
     * so reads pass replicas whose reads are closed ({@code ledger.api.reads=authenticated}).
     */
    ReplicaHttp(ExecutorService executor, SSLContext sslContext, ClientIdentity readSigner) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).executor(executor);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
        this.readSigner = readSigner;
    }

    CompletableFuture<Reply> get(URI uri, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept()).GET();
        if (readSigner != null) {
            // the request target exactly as sent: the replica checks the signature over its raw form
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            long nowMs = System.currentTimeMillis();
            request.header(ReadRequestSignature.CLIENT_HEADER, readSigner.clientId())
                    .header(ReadRequestSignature.TIMESTAMP_HEADER, Long.toString(nowMs))
                    .header(ReadRequestSignature.SIGNATURE_HEADER, ReadRequestSignature.sign(readSigner, "GET", target, nowMs));
        }
        return send(request.build());
    }

    CompletableFuture<Reply> postJson(URI uri, String json, Duration timeout) {
        return send(HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", accept())
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    /** Waits for an answer on the caller's thread; a transport failure becomes a one-line exception. */
    static Reply await(CompletableFuture<Reply> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerClientException("interrupted", e);
        } catch (ExecutionException e) {
            throw new LedgerClientException(describe(e.getCause()), e.getCause());
        }
    }

    /** One line about a failed exchange (the cause of a completed-exceptionally future). */
    static String describe(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof RequestFailure f) {
            return f.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private CompletableFuture<Reply> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        throw new RequestFailure(failure(request, error), error);
                    }
                    return new Reply(request.uri(), response.statusCode(), parse(response.body()), response.body());
                });
    }

    private static String failure(HttpRequest request, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        URI uri = request.uri();
        if (e instanceof HttpTimeoutException) {
            return "no answer from " + uri + " within " + request.timeout().map(Duration::toMillis).orElse(0L) + " ms";
        }
        if (e instanceof ConnectException) {
            return "cannot reach " + uri + " (connection refused or unreachable)";
        }
        if (e instanceof SSLException) {
            return "TLS with " + uri + " failed: " + e.getMessage();
        }
        if (e instanceof IOException) {
            return "request to " + uri + " failed: " + e;
        }
        return "request to " + uri + " failed: " + e;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String accept() {
        return "application/json, application/problem+json";
    }

    /** A transport failure, with a one-line message naming the URL. */
    static final class RequestFailure extends RuntimeException {
        RequestFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
