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
 * Asks a peer's liveness endpoint whether it runs, for the readiness check when the transport has
 * not exchanged messages with it lately. Answers are remembered for {@link #CACHE_MS} so frequent
 * probes by Kubernetes or Docker do not turn into a stream of requests.
 */
public final class PeerLivenessProbe implements Predicate<ConsensusInfo.PeerInfo> {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(800);
    private static final long CACHE_MS = 3_000;

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
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/liveness"))
                    .timeout(REQUEST_TIMEOUT).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
