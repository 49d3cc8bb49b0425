package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.chain.Transaction;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.pbft.message.Digest;
import java.util.Arrays;
import java.util.Base64;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code client submit} against stand-in replicas 0 and 1 (replicas 2 and 3 are down) that check the
 * signature as the real ones do and sign their COMMITTED answers with the keygen'd replica keys.
 */
class ClientSubmitCommandTest {
    @TempDir
    Path dir;

    private static final Digest BLOCK_HASH = new Digest(filled(0x5d));
    private static final String REVOKED = "client 'client-1' is not a member of this ledger";

    private Membership membership;
    private HttpServer server;
    private HttpServer replica1;
    private final List<String> queries = new ArrayList<>();
    private final List<Transaction> received = new ArrayList<>();
    /** Replica 0's answer to a POST. */
    private Function<Transaction, Answer> answer;
    /** Replica 1's answer to a POST. */
    private Function<Transaction, Answer> answer1 = tx -> pendingAnswer(tx.txId().hex());
    /** Either replica's answer to GET /api/v1/transactions/{txId}: (replica, txId). */
    private BiFunction<Integer, String, Answer> status = (replica, txId) -> new Answer(404, "application/problem+json",
            "{\"status\":404,\"detail\":\"no transaction\"}");

    private static byte[] filled(int b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    record Answer(int status, String contentType, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        CliRun.of("keygen", "--clients", "2", "--out", dir.toString());
        Membership generated = MembershipFile.load(dir.resolve("membership.yml"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/transactions", exchange -> handle(0, exchange));
        server.start();
        replica1 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        replica1.createContext("/api/v1/transactions", exchange -> handle(1, exchange));
        replica1.start();
        List<Membership.Replica> replicas = new ArrayList<>();
        String[] urls = {node(), "http://127.0.0.1:" + replica1.getAddress().getPort(), "http://127.0.0.1:" + closedPort(),
                "http://127.0.0.1:" + closedPort()};
        for (Membership.Replica r : generated.replicas()) {
            replicas.add(new Membership.Replica(r.id(), urls[r.id()], r.publicKey()));
        }
        membership = new Membership(generated.chainId(), replicas, generated.clients());
        MembershipFile.write(dir.resolve("membership.yml"), membership);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        replica1.stop(0);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Answer pendingAnswer(String txId) {
        return new Answer(202, "application/json", "{\"txId\":\"" + txId + "\",\"status\":\"PENDING\"}");
    }

    /** A COMMITTED answer at height 12 signed by {@code replica}'s key from keygen. */
    private Answer committed(int replica, String txId) {
        var key = KeyFiles.loadReplicaKey(dir.resolve("replicas/replica-" + replica + ".key")).privateKey();
        byte[] signature = ReplyStatement.transaction(membership.chainId(), Digest.fromHex(txId), 12, BLOCK_HASH).sign(key);
        return new Answer(200, "application/json", "{\"txId\":\"" + txId + "\",\"status\":\"COMMITTED\",\"blockHeight\":12,"
                + "\"blockHash\":\"" + BLOCK_HASH.hex() + "\",\"index\":0,\"attestation\":{\"replica\":" + replica
                + ",\"height\":12,\"blockHash\":\"" + BLOCK_HASH.hex() + "\",\"subject\":\"" + txId + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(signature) + "\"}}");
    }

    /** A COMMITTED answer at height 12 reporting that execution refused it, the refusal signed by {@code replica}. */
    private Answer refusedAtExecution(int replica, String txId) {
        var key = KeyFiles.loadReplicaKey(dir.resolve("replicas/replica-" + replica + ".key")).privateKey();
        byte[] signature = ReplyStatement.refusedTransaction(membership.chainId(), Digest.fromHex(txId), 12, BLOCK_HASH,
                "FORBIDDEN", REVOKED).sign(key);
        return new Answer(200, "application/json", "{\"txId\":\"" + txId + "\",\"status\":\"COMMITTED\",\"blockHeight\":12,"
                + "\"blockHash\":\"" + BLOCK_HASH.hex() + "\",\"index\":0,\"attestation\":{\"replica\":" + replica
                + ",\"height\":12,\"blockHash\":\"" + BLOCK_HASH.hex() + "\",\"subject\":\"" + txId + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(signature) + "\"},\"outcome\":\"REFUSED\",\"refusal\":{\"kind\":"
                + "\"FORBIDDEN\",\"reason\":\"" + REVOKED + "\"}}");
    }

    private void handle(int replica, HttpExchange exchange) throws IOException {
        if ("GET".equals(exchange.getRequestMethod())) {
            String path = exchange.getRequestURI().getPath();
            respond(exchange, status.apply(replica, path.substring(path.lastIndexOf('/') + 1)));
            return;
        }
        Transaction tx = ClientSignCommandTest.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (replica == 0) {
            queries.add(exchange.getRequestURI().getQuery());
            received.add(tx);
        }
        Answer a = !tx.verify(membership.client(tx.clientId()).orElseThrow().publicKey())
                ? new Answer(401, "application/problem+json", "{\"status\":401,\"detail\":\"bad signature\"}")
                : replica == 0 ? answer.apply(tx) : answer1.apply(tx);
        respond(exchange, a);
    }

    private static void respond(HttpExchange exchange, Answer a) throws IOException {
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
    void waitPrintsTheBlockOnceFPlusOneReplicasSignedTheSameLocation() {
        answer = tx -> committed(0, tx.txId().hex());
        status = (replica, txId) -> committed(replica, txId);

        CliRun run = submit("--wait", "--nonce", "5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(queries).first().isEqualTo("wait=true&waitMs=10000");
        assertThat(received.get(0).nonce()).isEqualTo(5);
        assertThat(run.out().lines()).containsExactly("txId: " + received.get(0).txId().hex(), "status: COMMITTED",
                "outcome: EXECUTED", "blockHeight: 12", "blockHash: " + BLOCK_HASH.hex(), "index: 0",
                "confirmations: 2 of 4 replicas signed this location [0, 1]; f+1 = 2 needed");
    }

    @Test
    void aTransactionRefusedAtExecutionIsOneLineWithTheReasonAndExitsFour() {
        answer = tx -> refusedAtExecution(0, tx.txId().hex());
        status = (replica, txId) -> refusedAtExecution(replica, txId);

        CliRun run = submit("--wait");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ClientSubmitCommand.EXIT_REFUSED_AT_EXECUTION).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("pbft-ledger client submit: transaction " + received.get(0).txId().hex()
                + " was ordered in block 12 but refused at execution, it changed nothing: FORBIDDEN: " + REVOKED
                + " (signed by replicas [0, 1])");
    }

    @Test
    void withoutWaitACommittedAnswerThatTurnsOutRefusedAlsoExitsFour() {
        answer = tx -> refusedAtExecution(0, tx.txId().hex());
        status = (replica, txId) -> refusedAtExecution(replica, txId);

        CliRun run = submit("--json");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).contains("\"outcome\":\"REFUSED\"");
        assertThat(run.errLines()).singleElement().asString().contains("refused at execution").contains(REVOKED);
    }

    @Test
    void oneReplicasSignedRefusalDoesNotOutvoteAnotherReplicasSignedSuccess() {
        answer = tx -> refusedAtExecution(0, tx.txId().hex());
        status = (replica, txId) -> replica == 0 ? refusedAtExecution(0, txId) : committed(1, txId);
        answer1 = tx -> committed(1, tx.txId().hex());

        CliRun run = submit("--wait", "--timeout-seconds", "2", "--resend-after-ms", "100", "--proof-after-ms", "600000");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("1 of the 2 matching signed confirmations needed");
    }

    @Test
    void waitNeverReportsCommittedOnOneReplicasUnsignedWord() {
        answer = tx -> new Answer(200, "application/json", "{\"txId\":\"" + tx.txId().hex()
                + "\",\"status\":\"COMMITTED\",\"blockHeight\":12,\"blockHash\":\"" + BLOCK_HASH.hex() + "\",\"index\":0}");

        CliRun run = submit("--wait", "--timeout-seconds", "2", "--resend-after-ms", "100");

        // Replica 1 still says PENDING, so the exit code is 3 (still pending), never 0.
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString()
                .contains("is not confirmed after 2000 ms: 0 of the 2 matching signed confirmations needed")
                .contains("not believed: replica 0: the answer lacks the object 'attestation'");
    }

    @Test
    void waitWithOnlyOneSignedConfirmationIsNotACommit() {
        answer = tx -> committed(0, tx.txId().hex());
        status = (replica, txId) -> replica == 0 ? committed(0, txId)
                : new Answer(404, "application/problem+json", "{\"status\":404,\"detail\":\"no transaction\"}");

        CliRun run = submit("--wait", "--timeout-seconds", "2", "--resend-after-ms", "100");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(3);
        assertThat(run.errLines()).singleElement().asString().contains("still PENDING")
                .contains("1 of the 2 matching signed confirmations needed");
    }

    @Test
    void waitThatEndsWhilePendingExitsWithThree() {
        answer = tx -> pendingAnswer(tx.txId().hex());

        CliRun run = submit("--wait", "--timeout-seconds", "1");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.errLines()).singleElement().asString().contains("still PENDING");
    }

    @Test
    void badTimingsAreBadUsage() {
        assertThat(submit("--wait", "--timeout-seconds", "0").exitCode()).isEqualTo(2);
        assertThat(submit("--wait", "--resend-after-ms", "0").exitCode()).isEqualTo(2);
        assertThat(received).isEmpty();
    }

    @Test
    void aProblemAnswerPrintsItsDetailOnStderrAndExitsOne() {
        answer = tx -> new Answer(409, "application/problem+json",
                "{\"type\":\"urn:pbft-ledger:problem:nonce-reused\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"nonce 5 of client-1 was used for another transaction\"}");

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
