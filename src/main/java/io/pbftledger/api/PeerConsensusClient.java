package io.pbftledger.api;

import io.pbftledger.chain.Membership;
import io.pbftledger.transport.PeerHttpClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks peers for their {@code /api/v1/consensus}, all at once, each within a short timeout, so that a
 * page of the explorer needs no cross-origin calls and a dead peer costs at most the timeout.
 */
final class PeerConsensusClient {
    /** Longest wait for one peer's answer (connect and response). */
    static final Duration PEER_TIMEOUT = Duration.ofMillis(1_500);
    /** Larger answers are not a consensus status; cut them off. */
    private static final int RESPONSE_MAX_CHARS = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;

    /** Asks over a client from {@code clients}, so with TLS on it speaks HTTPS with this replica's certificate. */
    PeerConsensusClient(PeerHttpClients clients) {
        this.http = clients.newClient(PEER_TIMEOUT);
    }

    /** The status of each given replica in the order given; unreachable ones say why. */
    List<ClusterView.Member> fetch(List<Membership.Replica> replicas) {
        List<CompletableFuture<ClusterView.Member>> answers = new ArrayList<>(replicas.size());
        for (Membership.Replica replica : replicas) {
            answers.add(ask(replica));
        }
        List<ClusterView.Member> out = new ArrayList<>(replicas.size());
        for (CompletableFuture<ClusterView.Member> answer : answers) {
            out.add(answer.join());
        }
        return out;
    }

    private CompletableFuture<ClusterView.Member> ask(Membership.Replica replica) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(replica.url() + "/api/v1/consensus"))
                    .timeout(PEER_TIMEOUT).header("Accept", "application/json").GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    ClusterView.Member.unreachable(replica.id(), replica.url(), "bad URL"));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> parse(replica, response))
                .exceptionally(e -> ClusterView.Member.unreachable(replica.id(), replica.url(), describe(e)));
    }

    private static ClusterView.Member parse(Membership.Replica replica, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return ClusterView.Member.unreachable(replica.id(), replica.url(), "HTTP " + response.statusCode());
        }
        if (response.body().length() > RESPONSE_MAX_CHARS) {
            return ClusterView.Member.unreachable(replica.id(), replica.url(), "answer too large");
        }
        try {
            JsonNode n = JSON.readTree(response.body());
            if (n.path("replicaId").asInt(-1) != replica.id()) {
                return ClusterView.Member.unreachable(replica.id(), replica.url(),
                        "answered as replica " + n.path("replicaId").asString("?"));
            }
            return new ClusterView.Member(replica.id(), replica.url(), false, true, n.path("view").asLong(),
                    n.path("primary").asInt(), n.path("status").asString(), n.path("height").asLong(),
                    n.path("lastExecutedSequence").asLong(), n.path("stableCheckpoint").asLong(),
                    n.path("pendingTransactions").asInt(), null);
        } catch (JacksonException e) {
            return ClusterView.Member.unreachable(replica.id(), replica.url(), "not a consensus status");
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof java.net.http.HttpTimeoutException ? "timed out"
                : cause instanceof java.net.ConnectException ? "connection refused"
                : cause.getClass().getSimpleName();
    }
}
