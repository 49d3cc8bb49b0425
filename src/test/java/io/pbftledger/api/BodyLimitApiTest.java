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
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The body limits are configurable and apply before any parsing. */
@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
@TestPropertySource(properties = {
        "ledger.api.request-body-max-bytes=700",
        "ledger.api.batch-request-body-max-bytes=1500"})
class BodyLimitApiTest {
    private static final Transaction TX = ApiFixtures.tx(1);

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    private static String padded(String json, int bytes) {
        return json + " ".repeat(bytes - json.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aSingleTransactionBodyAtTheConfiguredLimitIsAccepted() throws Exception {
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(TX.txId()));
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON)
                .content(padded(ApiFixtures.json(TX), 700)))
                .andExpect(status().isAccepted());
    }

    @Test
    void aSingleTransactionBodyOneByteOverTheConfiguredLimitIs413() throws Exception {
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON)
                .content(padded(ApiFixtures.json(TX), 701)))
                .andExpect(problem(413, "request body of 701 bytes exceeds the limit of 700 bytes "
                        + "(ledger.api.request-body-max-bytes)"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void theBatchEndpointHasItsOwnLargerLimit() throws Exception {
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(TX.txId()));
        String single = ApiFixtures.json(TX);
        String twoItems = "[" + single + "," + ApiFixtures.json(ApiFixtures.tx(2)) + "]";
        perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON)
                .content(padded(twoItems, 1500)))
                .andExpect(status().isOk());
        perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON)
                .content(padded(twoItems, 1501)))
                .andExpect(problem(413, "request body of 1501 bytes exceeds the limit of 1500 bytes "
                        + "(ledger.api.batch-request-body-max-bytes)"));
    }

    @Test
    void theLimitAlsoCoversTheDemoSigner() throws Exception {
        // The demo endpoint is off here (404 after the filter lets the body through), but a big body stops first.
        perform(mvc, post("/api/v1/demo/sign").contentType(MediaType.APPLICATION_JSON)
                .content(padded("{\"payload\":1}", 701)))
                .andExpect(problem(413, "request body of 701 bytes exceeds the limit of 700 bytes "
                        + "(ledger.api.request-body-max-bytes)"));
        perform(mvc, post("/api/v1/demo/sign").contentType(MediaType.APPLICATION_JSON)
                .content(padded("{\"payload\":1}", 700)))
                .andExpect(status().isNotFound());
    }
}
