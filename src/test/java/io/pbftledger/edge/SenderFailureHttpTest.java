package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.OneReplica;
import io.pbftledger.cli.TransactionJson;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.transport.PeerHttpClients;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real replica (Tomcat, random port) whose sender to peer 2 has its send throw
 * {@link OutOfMemoryError} three times, as when an outsider's requests take the heap: the sender
 * catches it, GET /api/v1/consensus shows the link FAILED and the peer not reachable, the metric
 * counts it, and the same sender goes on and delivers to the peer afterwards.
 */
@Timeout(120)
class SenderFailureHttpTest {
    private static final int PEER = 2;
    private static final int ERRORS = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Injected errors still to throw; shared with the replica's sender through the stand-in transport. */
    private static final AtomicInteger errorsLeft = new AtomicInteger(ERRORS);

    @TempDir
    static Path dir;
    private static OneReplica replica;
    private static ClientIdentity client;

    /** The replica's peer transport: the JDK's, except that sends of messages to peer 2 fail, then succeed. */
    static class FailingLinkToPeer2 {
        @Bean
        @Primary
        PeerHttpClients failingPeerClients(Membership membership) {
            URI peer = URI.create(membership.replica(PEER).url());
            return PeerHttpClients.madeBy(timeout -> new LinkToPeer(
                    HttpClient.newBuilder().connectTimeout(timeout).build(), peer));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        replica = OneReplica.startWith(dir, FailingLinkToPeer2.class, "ledger.retransmit-interval-ms=100");
        client = KeyFiles.loadClientIdentity(replica.keys.resolve("clients/client-1.key"));
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    private static JsonNode peer(int id) throws IOException {
        OneReplica.Raw r = replica.send("GET", "/api/v1/consensus", null);
        for (JsonNode p : JSON.readTree(r.body()).get("peers")) {
            if (p.get("id").asInt() == id) {
                return p;
            }
        }
        throw new AssertionError("no peer " + id + " in " + r.body());
    }

    private static void submit(long nonce) throws IOException {
        Transaction tx = Transaction.sign(client.chainId(), client.clientId(), nonce, "k", "{\"n\":" + nonce + "}",
                client.privateKey());
        replica.send("POST", "/api/v1/transactions", TransactionJson.body(tx));
    }

    @Test
    void aSenderWhoseSendThrowsAnErrorReportsTheLinkAndGoesOn() throws Exception {
        boolean sawFailed = false;
        boolean reachableWhileFailed = false;
        JsonNode last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (long nonce = 1; System.nanoTime() < deadline; nonce++) {
            // Every proposal and STATUS of the primary goes to peer 2 as well.
            submit(nonce);
            for (int poll = 0; poll < 10; poll++) {
                last = peer(PEER);
                if ("FAILED".equals(last.path("link").asString())) {
                    sawFailed = true;
                    reachableWhileFailed |= last.path("reachable").asBoolean();
                }
                Thread.sleep(20);
            }
            if (errorsLeft.get() == 0 && "UP".equals(last.path("link").asString()) && last.path("reachable").asBoolean()) {
                break;
            }
        }

        assertThat(sawFailed).as("the status API showed the failed link").isTrue();
        assertThat(reachableWhileFailed).as("peer 2 reported reachable over a failed link").isFalse();
        assertThat(last.path("linkFailures").asLong()).isEqualTo(ERRORS);
        assertThat(last.path("link").asString()).as("the same sender delivered afterwards: %s", last).isEqualTo("UP");
        assertThat(last.path("reachable").asBoolean()).as("%s", last).isTrue();
        String metrics = replica.send("GET", "/actuator/prometheus", null).body();
        assertThat(metrics).containsPattern("pbft_thread_failures_total\\{[^}]*thread=\"sender\"[^}]*\\} 3\\.0");
    }

    /** The JDK client, except for POST /pbft/messages to {@code peer}: an error {@link #ERRORS} times, then 200. */
    private static final class LinkToPeer extends HttpClient {
        private final HttpClient real;
        private final URI peer;

        LinkToPeer(HttpClient real, URI peer) {
            this.real = real;
            this.peer = peer;
        }

        private boolean toPeer(HttpRequest request) {
            return request.uri().getPort() == peer.getPort() && request.uri().getPath().equals("/pbft/messages");
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            if (!toPeer(request)) {
                return real.send(request, handler);
            }
            if (errorsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new OutOfMemoryError("Java heap space (thrown by the test's transport)");
            }
            return new Accepted<>(request);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return real.sendAsync(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> push) {
            return real.sendAsync(request, handler, push);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return real.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return real.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return real.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return real.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return real.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return real.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return real.authenticator();
        }

        @Override
        public Version version() {
            return real.version();
        }

        @Override
        public Optional<Executor> executor() {
            return real.executor();
        }
    }

    /** A 200 answer without a body. */
    private record Accepted<T>(HttpRequest request) implements HttpResponse<T> {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (name, value) -> true);
        }

        @Override
        public T body() {
            return null;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
