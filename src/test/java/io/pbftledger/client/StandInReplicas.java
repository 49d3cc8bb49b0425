package io.pbftledger.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pbftledger.chain.Membership;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Four stand-in replicas on loopback (JDK HttpServer), each answering the client's three requests as
 * its {@link Behaviour} says; replicas marked down listen nowhere (their port is closed).
 */
public final class StandInReplicas implements AutoCloseable {

    public record Answer(int status, String body) {
        public static Answer json(int status, Object body) {
            return new Answer(status, body.toString());
        }

        public static Answer pending(String txId) {
            return new Answer(202, "{\"txId\":\"" + txId + "\",\"status\":\"PENDING\"}");
        }

        public static Answer notFound() {
            return new Answer(404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"not here\"}");
        }
    }

    /** How one stand-in answers; {@code call} counts the requests of that kind so far (1 for the first). */
    public interface Behaviour {
        Answer submit(int call);

        Answer status(int call);

        Answer proof(int call);

        /** {@code GET /api/v1/membership}; by default this stand-in does not know the endpoint. */
        default Answer membership(int call) {
            return Answer.notFound();
        }
    }

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final Behaviour[] behaviours;
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, com.sun.net.httpserver.Headers> lastHeaders = new ConcurrentHashMap<>();

    /** {@code behaviours[i] == null} means replica i is down. */
    public StandInReplicas(Behaviour... behaviours) throws IOException {
        this.behaviours = behaviours;
        for (int i = 0; i < behaviours.length; i++) {
            if (behaviours[i] == null) {
                urls.add("http://127.0.0.1:" + closedPort());
                continue;
            }
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            int replica = i;
            server.createContext("/api/v1/transactions", exchange -> handle(replica, exchange));
            server.createContext("/api/v1/state", exchange -> handle(replica, exchange));
            server.createContext("/api/v1/membership", exchange -> handle(replica, exchange));
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            servers.add(server);
            urls.add("http://127.0.0.1:" + server.getAddress().getPort());
        }
    }

    public Membership membership() {
        return ClientFixtures.membership(urls);
    }

    public String url(int replica) {
        return urls.get(replica);
    }

    /** How many requests of a kind ("submit", "status", "proof") replica {@code i} got. */
    public int calls(int replica, String kind) {
        AtomicInteger n = calls.get(replica + "/" + kind);
        return n == null ? 0 : n.get();
    }

    /** The headers of the last request of a kind ("submit", "status", "proof", "membership") replica {@code i} got. */
    public com.sun.net.httpserver.Headers lastHeaders(int replica, String kind) {
        return lastHeaders.get(replica + "/" + kind);
    }

    private void handle(int replica, HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String kind = "POST".equals(exchange.getRequestMethod()) ? "submit" : path.endsWith("/proof") ? "proof"
                : path.equals("/api/v1/membership") ? "membership" : "status";
        lastHeaders.put(replica + "/" + kind, exchange.getRequestHeaders());
        exchange.getRequestBody().readAllBytes();
        int call = calls.computeIfAbsent(replica + "/" + kind, k -> new AtomicInteger()).incrementAndGet();
        Behaviour b = behaviours[replica];
        Answer answer = switch (kind) {
            case "submit" -> b.submit(call);
            case "proof" -> b.proof(call);
            case "membership" -> b.membership(call);
            default -> b.status(call);
        };
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type",
                answer.status() >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
