package io.pbftledger.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** Asks a replica's {@code /actuator/health} whether it is up (HTTP 200). */
final class HealthProbe {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http;

    HealthProbe() {
        this(Optional.empty());
    }

    /** Probes https:// replicas with {@code sslContext} (the cluster CA) when given. */
    HealthProbe(Optional<SSLContext> sslContext) {
        this.http = LedgerHttp.client(sslContext, REQUEST_TIMEOUT);
    }

    boolean isUp(String baseUrl) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health")).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            // not listening yet, or restarting: the caller retries
            return false;
        }
    }
}
