package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.config.MembershipFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code client submit} against a stand-in replica that checks the signature as the real one does. */
class ClientSubmitCommandTest {
    @TempDir
    Path dir;

    private Membership membership;
    private HttpServer server;
    private final List<String> queries = new ArrayList<>();
    private final List<Transaction> received = new ArrayList<>();
    private Function<Transaction, Answer> answer;

    record Answer(int status, String contentType, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        CliRun.of("keygen", "--clients", "2", "--out", dir.toString());
        membership = MembershipFile.load(dir.resolve("membership.yml"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/transactions", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        queries.add(exchange.getRequestURI().getQuery());
        Transaction tx = ClientSignCommandTest.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(tx);
        Answer a = tx.verify(membership.client(tx.clientId()).orElseThrow().publicKey())
                ? answer.apply(tx)
                : new Answer(401, "application/problem+json", "{\"status\":401,\"detail\":\"bad signature\"}");
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", a.contentType());
        exchange.sendResponseHeaders(a.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String node() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private CliRun submit(String... extra) {
        List<String> args = new ArrayList<>(List.of("client", "submit", "--membership", dir.resolve("membership.yml").toString(),
                "--identity", dir.resolve("clients/client-1.key").toString(), "--payload", "{\"n\":1}", "--node", node()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void postsASignedTransactionAndPrintsItsTxIdAndStatus() {
        answer = tx -> new Answer(202, "application/json", "{\"txId\":\"" + tx.txId().hex() + "\",\"status\":\"PENDING\"}");

        CliRun run = submit("--key", "k1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(received).singleElement().satisfies(tx -> {
            assertThat(tx.clientId()).isEqualTo("client-1");
            assertThat(tx.key()).isEqualTo("k1");
            assertThat(tx.nonce()).isPositive();
        });
        assertThat(queries).containsExactly((String) null);
        assertThat(run.out().lines()).containsExactly("txId: " + received.get(0).txId().hex(), "status: PENDING");
    }

    @Test
    void waitAsksTheReplicaToWaitAndPrintsTheBlock() {
        answer = tx -> new Answer(200, "application/json", "{\"txId\":\"" + tx.txId().hex()
                + "\",\"status\":\"COMMITTED\",\"blockHeight\":12,\"blockHash\":\"ab12\",\"index\":0}");

        CliRun run = submit("--wait", "--nonce", "5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(queries).containsExactly("wait=true");
        assertThat(received.get(0).nonce()).isEqualTo(5);
        assertThat(run.out().lines()).containsExactly("txId: " + received.get(0).txId().hex(), "status: COMMITTED",
                "blockHeight: 12", "blockHash: ab12", "index: 0");
    }

    @Test
    void waitThatEndsWhilePendingExitsWithThree() {
        answer = tx -> new Answer(202, "application/json", "{\"txId\":\"" + tx.txId().hex() + "\",\"status\":\"PENDING\"}");

        CliRun run = submit("--wait");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.errLines()).singleElement().asString().contains("still PENDING");
    }

    @Test
    void aProblemAnswerPrintsItsDetailOnStderrAndExitsOne() {
        answer = tx -> new Answer(409, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"nonce 5 of client-1 was used for another transaction\"}");

        CliRun run = submit("--nonce", "5");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("pbft-ledger client submit: nonce 5 of client-1 was used for another transaction (HTTP 409)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aNonJsonErrorIsReportedWithItsStatus() {
        answer = tx -> new Answer(502, "text/html", "<html>\n<body>Bad Gateway</body></html>");

        CliRun run = submit();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("HTTP 502 from " + node() + "/api/v1/transactions");
    }

    @Test
    void anUnreachableReplicaIsOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun run = CliRun.of("client", "submit", "--membership", dir.resolve("membership.yml").toString(),
                "--identity", dir.resolve("clients/client-0.key").toString(), "--payload", "[1]", "--node", "http://127.0.0.1:" + port);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("cannot reach http://127.0.0.1:" + port);
    }

    @Test
    void refusesAnIdentityOfAnotherChain() {
        Path other = dir.resolve("other");
        CliRun.of("keygen", "--out", other.toString());

        CliRun run = CliRun.of("client", "submit", "--membership", dir.resolve("membership.yml").toString(),
                "--identity", other.resolve("clients/client-0.key").toString(), "--payload", "[1]", "--node", node());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("is for chain");
        assertThat(received).isEmpty();
    }
}
