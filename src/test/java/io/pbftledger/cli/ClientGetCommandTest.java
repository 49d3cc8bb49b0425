package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.client.ClientFixtures;
import io.pbftledger.client.ProofFixtures;
import io.pbftledger.client.ProofJson;
import io.pbftledger.config.MembershipFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code client get} prints a transaction or a value only when its proof verifies against the membership
 * and f+1 replicas signed the location and outcome it proves. Replicas 0 and 1 answer; 2 and 3 are down.
 */
class ClientGetCommandTest {
    private static final Transaction TX = ClientFixtures.CLIENT.sign(3, "greeting", "{\"text\":\"hello\"}");
    private static final Block BLOCK = ProofFixtures.firstBlock(ClientFixtures.membership(), ClientFixtures.REPLICA_KEYS,
            List.of(TX), 1, 2, 3);

    @TempDir
    Path dir;
    private final List<HttpServer> servers = new ArrayList<>();
    private UnaryOperator<ObjectNode> tamper = UnaryOperator.identity();
    /** What replica i signs for {@code GET /api/v1/transactions/{txId}}: by default that TX executed in BLOCK. */
    private IntFunction<ObjectNode> statement = i -> ProofJson.committed(ClientFixtures.membership(), TX, BLOCK.height(),
            BLOCK.hash(), 0, i, ClientFixtures.REPLICA_KEYS.get(i));

    @BeforeEach
    void start() throws IOException {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            int replica = i;
            server.createContext("/api/v1/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                ObjectNode proof = path.startsWith("/api/v1/state/greeting/") ? ProofJson.stateProof(
                        ClientFixtures.membership(), BLOCK, 0, replica, ClientFixtures.REPLICA_KEYS.get(replica))
                        : path.equals("/api/v1/transactions/" + TX.txId().hex() + "/proof") ? ProofJson.transactionProof(BLOCK, 0)
                        : null;
                ObjectNode answer = proof != null ? tamper.apply(proof)
                        : path.equals("/api/v1/transactions/" + TX.txId().hex()) ? statement.apply(replica) : null;
                byte[] body = (answer == null ? "{\"status\":404,\"detail\":\"no such thing\"}" : answer.toString())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", answer == null ? "application/problem+json" : "application/json");
                exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            servers.add(server);
            urls.add("http://127.0.0.1:" + server.getAddress().getPort());
        }
        // Replicas 2 and 3 are down: ports that were free a moment ago and differ from the live ones.
        for (int i = 2; i < 4; i++) {
            urls.add("http://127.0.0.1:" + freePortNotIn(urls));
        }
        Membership membership = ClientFixtures.membership(urls);
        MembershipFile.write(dir.resolve("membership.yml"), membership);
    }

    private static int freePortNotIn(List<String> urls) throws IOException {
        while (true) {
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            if (!urls.contains("http://127.0.0.1:" + port)) {
                return port;
            }
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    private CliRun get(String... args) {
        List<String> all = new ArrayList<>(List.of("client", "get", "--membership", dir.resolve("membership.yml").toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void aVerifiedTransactionIsPrintedWithWhatWasChecked() {
        CliRun run = get("--tx", TX.txId().hex());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly("txId: " + TX.txId().hex(), "status: COMMITTED",
                "outcome: EXECUTED", "blockHeight: 1",
                "blockHash: " + BLOCK.hash().hex(), "index: 0", "clientId: client-0", "nonce: 3", "key: greeting",
                "payload: {\"text\":\"hello\"}",
                "verified: commit certificate of replicas [1, 2, 3] (view 0, sequence 1), batch digest, Merkle path and "
                        + "block hash check against the membership keys; replicas [0, 1] signed this height, block hash "
                        + "and outcome");
    }

    @Test
    void aLocationOnlyTheAskedReplicaSignsIsNotPrinted() {
        statement = i -> ProofJson.committed(ClientFixtures.membership(), TX, 7, BLOCK.hash(), 0, i,
                ClientFixtures.REPLICA_KEYS.get(i));

        CliRun run = get("--tx", TX.txId().hex());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().contains("are signed by 0 of the 2 replicas needed",
                "replica 1=signed height 7");
    }

    @Test
    void aTransactionRefusedAtExecutionIsOneLineWithTheReasonAndExitsFour() {
        tamper = proof -> ProofJson.refusedTransactionProof(ClientFixtures.membership(), BLOCK, 0, 0,
                ClientFixtures.REPLICA_KEYS.get(0), "FORBIDDEN", "client 'client-0' is not a member of this ledger");
        statement = i -> ProofJson.committedRefused(ClientFixtures.membership(), TX, BLOCK.height(), BLOCK.hash(), 0, i,
                ClientFixtures.REPLICA_KEYS.get(i), "FORBIDDEN", "client 'client-0' is not a member of this ledger");

        CliRun run = get("--tx", TX.txId().hex());

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("pbft-ledger client get: transaction " + TX.txId().hex()
                + " was ordered in block 1 (proof verified) but refused at execution, it changed nothing: FORBIDDEN: "
                + "client 'client-0' is not a member of this ledger (signed by replicas [0, 1])");
    }

    @Test
    void aRefusalWhoseSignatureDoesNotCoverItIsNotPrintedAsEitherOutcome() {
        tamper = proof -> {
            ObjectNode refused = ProofJson.refusedTransactionProof(ClientFixtures.membership(), BLOCK, 0, 0,
                    ClientFixtures.REPLICA_KEYS.get(0), "FORBIDDEN", "revoked");
            ((ObjectNode) refused.get("transaction").get("refusal")).put("reason", "edited");
            return refused;
        };

        CliRun run = get("--tx", TX.txId().hex());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().contains("does not verify with replica 0's key");
    }

    @Test
    void aVerifiedValueIsPrintedWithTheReplicasSignedHeight() {
        CliRun run = get("--key", "greeting", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("{\"key\":\"greeting\",\"value\":{\"text\":\"hello\"},\"txId\":\"" + TX.txId().hex())
                .contains("\"answeredAtHeight\":1", "\"answeredBy\":0");
    }

    @Test
    void aTamperedTransactionProofIsRejectedInOneLineAndNothingIsPrinted() {
        tamper = proof -> {
            ((ObjectNode) proof.get("block").get("certificate").get(0)).put("replica", 0);
            return proof;
        };

        CliRun run = get("--tx", TX.txId().hex());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("pbft-ledger client get: the proof from replica 0 does not verify: "
                + "the commit certificate does not verify: certificate signature of replica 0 does not verify");
    }

    @Test
    void aTamperedValueIsRejected() {
        tamper = proof -> proof.put("value", "bye");

        CliRun run = get("--key", "greeting");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString()
                .contains("the value is not the payload of the proven transaction that wrote it");
    }

    @Test
    void anUnknownKeyIsTheReplicasDetailAndABadTxIdIsBadUsage() {
        CliRun unknown = get("--key", "nothing");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.errLines()).containsExactly("pbft-ledger client get: no such thing (HTTP 404)");

        CliRun bad = get("--tx", "xyz");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly(
                "pbft-ledger client get: txId must be 64 hexadecimal characters, got 'xyz'");

        assertThat(get("--tx", TX.txId().hex(), "--key", "greeting").exitCode()).isEqualTo(2);
        assertThat(get().exitCode()).isEqualTo(2);
    }
}
