package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.api.InFlightBodies;
import io.pbftledger.cli.OneReplica;
import io.pbftledger.web.ProblemType;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON bodies built to take the heap, against real replicas (Tomcat, random port, raw HTTP): the
 * batch stops reading at item 1,001 instead of building a tree of the whole body, a transaction's
 * payload is bounded while it is parsed, and all bodies in flight together stay within a budget.
 */
@Timeout(120)
class HostileBodiesHttpTest {
    private static final String SIGNATURE = "A".repeat(86) + "==";

    @TempDir
    static Path defaultsDir;
    @TempDir
    static Path budgetDir;
    /** Default limits. */
    private static OneReplica replica;
    /** Bodies of at most 32 KiB, 40,000 bytes of them in flight at once. */
    private static OneReplica budgeted;

    @BeforeAll
    static void start() {
        replica = OneReplica.start(defaultsDir);
        budgeted = OneReplica.start(budgetDir, "ledger.api.request-body-max-bytes=16384",
                "ledger.api.batch-request-body-max-bytes=32768", "ledger.api.in-flight-body-max-bytes=40000");
    }

    @AfterAll
    static void stop() {
        for (OneReplica r : new OneReplica[] {replica, budgeted}) {
            if (r != null) {
                r.close();
            }
        }
    }

    /** The start of an answer, for assertion messages. */
    private static String brief(String body) {
        return body.length() <= 400 ? body : body.substring(0, 400) + "...";
    }

    /** {@code "[" + element + "," + ... + "]"} of about {@code bytes} bytes. */
    private static String array(String element, int bytes) {
        int count = bytes / (element.length() + 1);
        StringBuilder sb = new StringBuilder(bytes + 16).append('[');
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append(element);
        }
        return sb.append(']').toString();
    }

    private static String transaction(String payload) {
        return "{\"chainId\":\"c\",\"clientId\":\"client-1\",\"nonce\":1,\"key\":\"k\",\"payload\":" + payload
                + ",\"signature\":\"" + SIGNATURE + "\"}";
    }

    @Test
    void aTwoMegabyteBatchOfEmptyObjectsIsRefusedAtItem1001() throws Exception {
        String body = array("{}", 2 << 20);

        OneReplica.Raw r = replica.send("POST", "/api/v1/transactions/batch", body);

        assertThat(r.status()).as(brief(r.body())).isEqualTo(413);
        assertThat(r.isProblem(ProblemType.PAYLOAD_TOO_LARGE)).isTrue();
        assertThat(r.body()).contains("a batch holds at most 1000 transactions; reading stopped at item 1001");
    }

    @Test
    void aPayloadArrayIsBoundedWhileItIsParsed() throws Exception {
        // 100,000 elements of one token each: the element limit speaks before the token limit.
        OneReplica.Raw r = replica.send("POST", "/api/v1/transactions", transaction(array("0", 200_000)));

        assertThat(r.status()).as(brief(r.body())).isEqualTo(400);
        assertThat(r.isProblem(ProblemType.INVALID_REQUEST)).isTrue();
        assertThat(r.body()).contains("JSON array at $.payload has more than 32768 elements "
                + "(ledger.api.json-max-array-elements)");
    }

    @Test
    void aBatchItemsTokensAreBoundedWhileItIsParsed() throws Exception {
        // Three arrays of 30,000 elements: each under the element limit, 90,000 tokens together.
        String payload = "[" + array("0", 60_000) + "," + array("0", 60_000) + "," + array("0", 60_000) + "]";

        OneReplica.Raw r = replica.send("POST", "/api/v1/transactions/batch", "[" + transaction(payload) + "]");

        assertThat(r.status()).as(brief(r.body())).isEqualTo(400);
        assertThat(r.body()).contains("more than 65536 JSON tokens in one batch item, at $[0].payload[2]")
                .contains("(ledger.api.json-max-tokens)");
    }

    @Test
    void theApplicationsJsonMapperParsesWithinTheApiLimits() {
        StreamReadConstraints limits = replica.bean(JsonMapper.class).tokenStreamFactory().streamReadConstraints();

        assertThat(limits.getMaxNestingDepth()).isEqualTo(32);
        assertThat(limits.getMaxStringLength()).isEqualTo(65_536);
        assertThat(limits.getMaxNumberLength()).isEqualTo(64);
        assertThat(limits.getMaxNameLength()).isEqualTo(256);
        assertThat(limits.getMaxTokenCount()).isEqualTo(65_536);
        assertThat(limits.getMaxDocumentLength()).as("the largest body limit").isEqualTo(16L << 20);
    }

    @Test
    void requestBodiesInFlightTogetherStayWithinTheBudget() throws Exception {
        // About 700 items (strings, each refused on its own): answered 200 when it is read at all.
        String body = array("\"" + "x".repeat(25) + "\"", 20_000);
        InFlightBodies budget = budgeted.bean(InFlightBodies.class);
        try (Socket holding = new Socket("127.0.0.1", budgeted.port)) {
            holding.setSoTimeout(20_000);
            // 30,000 bytes announced, 100 sent: the replica holds the reservation while it waits for the rest.
            OutputStream out = holding.getOutputStream();
            out.write(("POST /api/v1/transactions/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 30000\r\n\r\n" + "[" + "0,".repeat(49) + "0").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(eventually(() -> budget.heldBytes() == 30_000)).as("the held request was read up to its body")
                    .isTrue();

            OneReplica.Raw refused = budgeted.send("POST", "/api/v1/transactions/batch", body);

            assertThat(refused.status()).as(brief(refused.body())).isEqualTo(503);
            assertThat(refused.isProblem(ProblemType.UNAVAILABLE)).isTrue();
            assertThat(refused.head()).containsIgnoringCase("Retry-After: 1");
            assertThat(refused.body()).contains("this replica holds as many request-body bytes as it accepts at once "
                    + "(40000 bytes, ledger.api.in-flight-body-max-bytes); retry in 1 s");
        }
        // The held request ended with its connection: its bytes are free again.
        assertThat(eventually(() -> budget.heldBytes() == 0)).as("released").isTrue();
        OneReplica.Raw after = budgeted.send("POST", "/api/v1/transactions/batch", body);
        assertThat(after.status()).as(brief(after.body())).isEqualTo(200);
    }

    /** Polls {@code condition} for up to 20 s. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
