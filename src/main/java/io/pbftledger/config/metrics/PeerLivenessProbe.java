package io.pbftledger.config.metrics;

import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.transport.PeerHttpClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Asks a peer's liveness probe ({@code /livez} on its API port) whether it runs, for the readiness check when the transport has
 * not exchanged messages with it lately. Answers are remembered for {@link #CACHE_MS} so frequent
 * probes by Kubernetes or Docker do not turn into a stream of requests.
 */
public final class PeerLivenessProbe implements Predicate<ConsensusInfo.PeerInfo> {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(800);
    private static final long CACHE_MS = 3_000;
    /** The liveness probe on the API port, wherever the actuator is served. */
    static final String LIVENESS_PATH = "/livez";
    static final String ACTUATOR_LIVENESS_PATH = "/actuator/health/liveness";

    private record Answer(boolean alive, long atMillis) {
    }

    private final HttpClient http;
    private final Map<Integer, Answer> answers = new ConcurrentHashMap<>();

    /** Asks over a client from {@code clients}, so with TLS on the probe speaks HTTPS like the peer links. */
    public PeerLivenessProbe(PeerHttpClients clients) {
        this.http = clients.newClient(REQUEST_TIMEOUT);
    }

    @Override
    public boolean test(ConsensusInfo.PeerInfo peer) {
        long now = System.currentTimeMillis();
        Answer cached = answers.get(peer.id());
        if (cached != null && now - cached.atMillis() < CACHE_MS) {
            return cached.alive();
        }
        boolean alive = ask(peer.url());
        answers.put(peer.id(), new Answer(alive, now));
        return alive;
    }

    private boolean ask(String baseUrl) {
        try {
            int status = status(baseUrl + LIVENESS_PATH);
            // A replica of a version before /livez (during a rolling upgrade) answers on the actuator's path.
            return status == 200 || (status == 404 && status(baseUrl + ACTUATOR_LIVENESS_PATH) == 200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private int status(String url) throws java.io.IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
