package io.pbftledger.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST calls the benchmark makes, on one shared HTTP/1.1 client (connection reuse; no h2c
 * upgrade attempt, which the replicas do not offer). Answers are parsed here; transport failures
 * surface as exceptions of the returned futures, HTTP errors as {@link Answer}s with their status.
 */
final class LedgerEndpoints {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** Longer than the server's longest wait, so that the server, not this client, ends a wait. */
    static final Duration WAIT_SLACK = Duration.ofSeconds(15);
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One HTTP answer: status, parsed body (null when not JSON) and the Retry-After seconds, if any. */
    record Answer(int status, JsonNode body, long retryAfterSeconds) {
        boolean ok() {
            return status >= 200 && status < 300 && body != null;
        }

        /** The error kind this answer counts as: status and problem title, e.g. {@code 429 Too Many Requests}. */
        String errorKind() {
            String title = body != null && body.hasNonNull("title") ? " " + body.get("title").asString() : "";
            return "http " + status + title;
        }
    }

    /** A block's transaction ids in execution order. */
    record BlockTxIds(long height, List<String> txIds) {
        BlockTxIds {
            txIds = List.copyOf(txIds);
        }
    }

    private final HttpClient http;

    LedgerEndpoints(Executor executor) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(executor)
                .build();
    }

    /** {@code POST /api/v1/transactions?wait=true&waitMs=} with one signed transaction. */
    CompletableFuture<Answer> submitAndWait(String baseUrl, String body, long waitMs) {
        URI uri = URI.create(baseUrl + "/api/v1/transactions?wait=true&waitMs=" + waitMs);
        return post(uri, body, Duration.ofMillis(waitMs).plus(WAIT_SLACK));
    }

    /** {@code POST /api/v1/transactions/batch} with a JSON array of signed transactions. */
    CompletableFuture<Answer> submitBatch(String baseUrl, List<String> bodies) {
        StringBuilder array = new StringBuilder(bodies.size() * (bodies.get(0).length() + 1) + 2).append('[');
        for (int i = 0; i < bodies.size(); i++) {
            array.append(i == 0 ? "" : ",").append(bodies.get(i));
        }
        return post(URI.create(baseUrl + "/api/v1/transactions/batch"), array.append(']').toString(), READ_TIMEOUT);
    }

    /** {@code GET /api/v1/transactions/{txId}}. */
    CompletableFuture<Answer> transaction(String baseUrl, String txId) {
        return get(URI.create(baseUrl + "/api/v1/transactions/" + txId));
    }

    /** Height of the newest block ({@code GET /api/v1/blocks/latest}); fails on any error answer. */
    long latestHeight(String baseUrl) throws IOException, InterruptedException {
        Answer answer = join(get(URI.create(baseUrl + "/api/v1/blocks/latest")));
        if (!answer.ok() || !answer.body().hasNonNull("height")) {
            throw new IOException("GET " + baseUrl + "/api/v1/blocks/latest answered " + answer.errorKind());
        }
        return answer.body().get("height").asLong();
    }

    /** {@code GET /api/v1/blocks/{height}}: the header's transactionCount. */
    CompletableFuture<Integer> blockTransactionCount(String baseUrl, long height) {
        return get(URI.create(baseUrl + "/api/v1/blocks/" + height)).thenApply(answer -> {
            if (!answer.ok()) {
                throw new IllegalStateException("GET /api/v1/blocks/" + height + " answered " + answer.errorKind());
            }
            return answer.body().get("transactionCount").asInt();
        });
    }

    /** {@code GET /api/v1/blocks/{height}/transactions}: the txIds in order. */
    CompletableFuture<BlockTxIds> blockTransactions(String baseUrl, long height) {
        return get(URI.create(baseUrl + "/api/v1/blocks/" + height + "/transactions")).thenApply(answer -> {
            if (!answer.ok()) {
                throw new IllegalStateException("GET /api/v1/blocks/" + height + "/transactions answered " + answer.errorKind());
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode tx : answer.body().get("transactions")) {
                ids.add(tx.get("txId").asString());
            }
            return new BlockTxIds(height, ids);
        });
    }

    /** Opens the server-sent block stream, read line by line. */
    CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> blockStream(String baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/blocks/stream"))
                .header("Accept", "text/event-stream").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    }

    private CompletableFuture<Answer> post(URI uri, String json, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(LedgerEndpoints::answer);
    }

    private CompletableFuture<Answer> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(READ_TIMEOUT)
                .header("Accept", "application/json, application/problem+json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(LedgerEndpoints::answer);
    }

    private static Answer answer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), parse(response.body()), retryAfterSeconds(response));
    }

    /** Retry-After in seconds; 0 when absent or an HTTP date (the caller then uses its own back-off). */
    private static long retryAfterSeconds(HttpResponse<String> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").strip();
        return value.matches("[0-9]{1,6}") ? Long.parseLong(value) : 0;
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

    static <T> T join(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.toString(), cause);
        }
    }
}
