package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.SubmitResult;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The JSON structure limits (ledger.api.json-max-*, defaults) on every JSON body, with the place named. */
@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
class JsonLimitsApiTest {
    private static final Transaction TX = ApiFixtures.tx(11);

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    private static MockHttpServletRequestBuilder submit(String body) {
        return post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    /** The fixture transaction's body with its payload replaced by {@code payload} (the signature no longer matters). */
    private static String withPayload(String payload) {
        String json = ApiFixtures.json(TX);
        int start = json.indexOf("\"payload\":") + "\"payload\":".length();
        int end = json.indexOf(",\"signature\"");
        return json.substring(0, start) + payload + json.substring(end);
    }

    private static String nested(int objects) {
        return "{\"a\":".repeat(objects) + "1" + "}".repeat(objects);
    }

    @Test
    void nestingOneLevelDeeperThanTheLimitIsRefusedNamingWhereItHappens() throws Exception {
        // The body is depth 1 and the payload depth 2: 31 objects inside the payload reach depth 33.
        perform(mvc, submit(withPayload("{\"a\":" + nested(31) + "}")))
                .andExpect(problem(400, "JSON nesting deeper than 32 at $.payload" + ".a".repeat(31)
                        + " (ledger.api.json-max-depth)"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void nestingExactlyAtTheLimitIsAccepted() throws Exception {
        when(ledger.submit(any())).thenAnswer(call -> SubmitResult.pending(call.<Transaction>getArgument(0).txId()));
        perform(mvc, submit(withPayload("{\"a\":" + nested(30) + "}"))).andExpect(status().isAccepted());
    }

    @Test
    void aStringLongerThanTheLimitIsRefusedWithItsPath() throws Exception {
        perform(mvc, submit(withPayload("{\"list\":[1,{\"s\":\"" + "x".repeat(65_537) + "\"}]}")))
                .andExpect(problem(400, "JSON string longer than 65536 characters at $.payload.list[1].s"
                        + " (ledger.api.json-max-string-length)"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void aNumberLongerThanTheLimitIsRefusedWithItsPath() throws Exception {
        perform(mvc, submit(withPayload("{\"n\":1" + "0".repeat(64) + "}")))
                .andExpect(problem(400, "JSON number longer than 64 characters at $.payload.n"
                        + " (ledger.api.json-max-number-length)"));
    }

    @Test
    void anObjectWithMorePropertiesThanTheLimitIsRefused() throws Exception {
        StringBuilder payload = new StringBuilder("{");
        for (int i = 0; i <= 1000; i++) {
            payload.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":").append(i);
        }
        perform(mvc, submit(withPayload(payload.append('}').toString())))
                .andExpect(problem(400, "JSON object at $.payload has more than 1000 properties"
                        + " (ledger.api.json-max-properties)"));
    }

    @Test
    void aPropertyNameLongerThanTheLimitIsRefused() throws Exception {
        perform(mvc, submit(withPayload("{\"" + "k".repeat(257) + "\":1}")))
                .andExpect(problem(400, "JSON property name longer than 256 characters in the object at $.payload"
                        + " (ledger.api.json-max-name-length)"));
    }

    // Far over a limit, Jackson's own backstop (one step looser) trips while the token is still being
    // read, before the scan sees it: the refusal must still be ours, naming the limit and the place.

    @Test
    void aPropertyNameFarLongerThanTheLimitIsRefusedNamingTheLimit() throws Exception {
        perform(mvc, submit(withPayload("{\"" + "k".repeat(10_000) + "\":1}")))
                .andExpect(problem(400, "JSON property name longer than 256 characters in the object at $.payload"
                        + " (ledger.api.json-max-name-length)"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void aStringFarLongerThanTheLimitIsRefusedNamingTheLimit() throws Exception {
        perform(mvc, submit(withPayload("{\"s\":\"" + "x".repeat(100_000) + "\"}")))
                .andExpect(problem(400, "JSON string longer than 65536 characters at $.payload.s"
                        + " (ledger.api.json-max-string-length)"));
    }

    @Test
    void aNumberFarLongerThanTheLimitIsRefusedNamingTheLimitAndItsPlaceInAnArray() throws Exception {
        perform(mvc, submit(withPayload("[1,2,1" + "0".repeat(5_000) + "]")))
                .andExpect(problem(400, "JSON number longer than 64 characters at $.payload[2]"
                        + " (ledger.api.json-max-number-length)"));
    }

    @Test
    void aBatchItemFarOverALengthLimitIsRefusedNamingTheLimitAndTheItem() throws Exception {
        String body = "[" + ApiFixtures.json(TX) + "," + withPayload("{\"s\":\"" + "x".repeat(100_000) + "\"}") + "]";
        perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(problem(400, "JSON string longer than 65536 characters at $[1].payload.s"
                        + " (ledger.api.json-max-string-length)"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void aBatchWithContentAfterItsArrayIsRefusedAsAWhole() throws Exception {
        for (String trailing : new String[] {" null", " {}", " []", " 1"}) {
            perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON)
                    .content("[" + ApiFixtures.json(TX) + "]" + trailing))
                    .andExpect(MvcResults.problemContaining(400, "content after the end of the JSON value"));
        }
        verify(ledger, never()).submit(any());
    }

    @Test
    void aPayloadWithAnUnpairedSurrogateIsRefusedBeforeItIsSigned() throws Exception {
        when(ledger.submit(any())).thenAnswer(call -> SubmitResult.pending(call.<Transaction>getArgument(0).txId()));
        for (String text : new String[] {"\\ud800", "a\\udfffb", "\\udc00\\ud800"}) {
            perform(mvc, submit(withPayload("{\"t\":\"" + text + "\"}")))
                    .andExpect(MvcResults.problemContaining(400, "unpaired UTF-16 surrogate"));
            // in a name, the parser itself may refuse a broken pair first, in words of its own
            perform(mvc, submit(withPayload("{\"" + text + "\":1}")))
                    .andExpect(MvcResults.problemContaining(400, "surrogate"));
        }
        verify(ledger, never()).submit(any());
    }

    @Test
    void aBodyThatIsNotWellFormedUtf8IsRefusedNamingTheByteEvenWhereAParserWouldRepairIt() throws Exception {
        when(ledger.submit(any())).thenAnswer(call -> SubmitResult.pending(call.<Transaction>getArgument(0).txId()));
        // an overlong '/', a UTF-16 surrogate in UTF-8 (CESU-8), a code point above U+10FFFF, a lone continuation byte
        byte[][] notUtf8 = {{(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};
        for (byte[] bad : notUtf8) {
            String json = withPayload("{\"t\":\"a#b\"}");
            int at = json.indexOf('#');
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(json.substring(0, at).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes(json.substring(at + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(body.toByteArray()))
                    .andExpect(problem(400, "the body is not UTF-8: a malformed byte sequence at byte " + at
                            + " (RFC 8259 requires UTF-8)"));
            byte[] batch = ("[" + new String(body.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1) + "]")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON).content(batch))
                    .andExpect(problem(400, "the body is not UTF-8: a malformed byte sequence at byte " + (at + 1)
                            + " (RFC 8259 requires UTF-8)"));
        }
        verify(ledger, never()).submit(any());
    }

    @Test
    void aBatchBreakingALimitInOneItemIsRefusedAsAWholeNamingTheItem() throws Exception {
        String body = "[" + ApiFixtures.json(TX) + "," + withPayload(nested(40)) + "]";
        perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(problem(400, "JSON nesting deeper than 32 at $[1].payload" + ".a".repeat(30)
                        + " (ledger.api.json-max-depth)"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void exponentsBeyondWhatADoubleHoldsAreRefusedOrCanonicalizedWithoutBlowingUp() throws Exception {
        when(ledger.submit(any())).thenAnswer(call -> SubmitResult.pending(call.<Transaction>getArgument(0).txId()));
        long start = System.nanoTime();
        perform(mvc, submit(withPayload("{\"x\":1e999999999}")))
                .andExpect(problem(400, "payload is not valid JSON: NaN/Infinity are not permitted in JSON"));
        // Underflow is exact zero in RFC 8785 (ECMAScript doubles): the client signs that form.
        perform(mvc, submit(withPayload("{\"x\":1e-999999999}"))).andExpect(status().isAccepted());
        org.mockito.ArgumentCaptor<Transaction> tx = org.mockito.ArgumentCaptor.forClass(Transaction.class);
        verify(ledger).submit(tx.capture());
        org.assertj.core.api.Assertions.assertThat(tx.getValue().payload()).isEqualTo("{\"x\":0}");
        org.assertj.core.api.Assertions.assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void aBodyOfJustNullIsABadRequestNotAnInternalError() throws Exception {
        perform(mvc, submit("null")).andExpect(problem(400, "request body must be a JSON object, not null"));
        perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON)
                .content("[null]"))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$[0].problem.status").value(400))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$[0].problem.detail")
                        .value("a transaction must be a JSON object, not null"));
        verify(ledger, never()).submit(any());
    }
}
