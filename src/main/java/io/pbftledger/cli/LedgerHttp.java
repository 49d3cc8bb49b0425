package io.pbftledger.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** JSON over HTTP to one replica; a problem+json answer becomes a {@link CliException} with its detail. */
final class LedgerHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int ERROR_BODY_MAX_CHARS = 200;

    /** A successful answer: status and parsed JSON body. */
    record Answer(int status, JsonNode body, String text) {
    }

    private final HttpClient http;

    LedgerHttp() {
        this(Optional.empty());
    }

    /** Calls over TLS with {@code sslContext} when given (trusted CA, client certificate), else with the JDK defaults. */
    LedgerHttp(Optional<SSLContext> sslContext) {
        this.http = client(sslContext, CONNECT_TIMEOUT);
    }

    /** An HTTP client that uses {@code sslContext} for https:// URLs when given. */
    static HttpClient client(Optional<SSLContext> sslContext, Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
        sslContext.ifPresent(builder::sslContext);
        return builder.build();
    }

    Answer postJson(URI uri, String json, Duration timeout) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return send(uri, request, timeout);
    }

    /** GET with the extra {@code headers} (signed-read headers, say). */
    Answer getJson(URI uri, java.util.Map<String, String> headers, Duration timeout) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json, application/problem+json").GET();
        headers.forEach(request::header);
        return send(uri, request.build(), timeout);
    }

    private Answer send(URI uri, HttpRequest request, Duration timeout) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new CliException("no answer from " + uri + " within " + timeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new CliException("cannot reach " + uri + " (connection refused or unreachable)", e);
        } catch (SSLException e) {
            throw new CliException("TLS with " + uri + " failed: " + CliErrors.oneLine(String.valueOf(e.getMessage()))
                    + " (is --ca the cluster's CA, and does the replica need --client-cert?)", e);
        } catch (IOException e) {
            throw new CliException("request to " + uri + " failed: " + e, e);
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 200 && status < 300 && body != null && body.isObject()) {
            return new Answer(status, body, response.body());
        }
        throw new CliException(problem(uri, status, body, response.body()));
    }

    private static String problem(URI uri, int status, JsonNode body, String text) {
        if (body != null && body.isObject() && body.hasNonNull("detail")) {
            return body.get("detail").asString() + " (HTTP " + status + ")";
        }
        String excerpt = text == null ? "" : CliErrors.oneLine(text);
        if (excerpt.length() > ERROR_BODY_MAX_CHARS) {
            excerpt = excerpt.substring(0, ERROR_BODY_MAX_CHARS) + "...";
        }
        return "HTTP " + status + " from " + uri + (excerpt.isEmpty() ? "" : ": " + excerpt);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return TransactionJson.JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }
}
