package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.SubmitResult;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
@TestPropertySource(properties = "ledger.demo.enabled=true")
class DemoSignApiTest {
    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    private static MockHttpServletRequestBuilder sign(String body) {
        return post("/api/v1/demo/sign").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    @Test
    void signsWithTheRequestedClientAndNonce() throws Exception {
        String body = perform(mvc, sign("{\"clientId\":\"client-0\",\"nonce\":77,\"key\":\"k1\",\"payload\":{\"b\":1,\"a\":[true]}}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.chainId").value(ApiFixtures.CHAIN_ID))
                .andExpect(jsonPath("$.clientId").value("client-0"))
                .andExpect(jsonPath("$.nonce").value(77))
                .andExpect(jsonPath("$.key").value("k1"))
                .andExpect(jsonPath("$.payload.a[0]").value(true))
                .andReturn().getResponse().getContentAsString();

        JsonNode signed = JsonMapper.shared().readTree(body);
        Transaction expected = Transaction.sign(ApiFixtures.CHAIN_ID, "client-0", 77, "k1", "{\"a\":[true],\"b\":1}",
                ApiFixtures.CLIENT_0_KEY);
        assertThat(signed.get("signature").asString()).isEqualTo(expected.signatureBase64());
        assertThat(signed.propertyNames()).containsExactlyInAnyOrder("chainId", "clientId", "nonce", "key", "payload",
                "signature");
    }

    @Test
    void theSignedOutputIsAcceptedAsIsBySubmit() throws Exception {
        String signed = perform(mvc, sign("{\"payload\":{\"hello\":\"world\"}}"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        when(ledger.submit(any())).thenAnswer(call -> {
            Transaction tx = call.getArgument(0);
            assertThat(tx.verify(ApiFixtures.CLIENT_0_KEY.publicKey())).isTrue();
            return SubmitResult.pending(tx.txId());
        });

        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(signed))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("PENDING"));
    }

    @Test
    void defaultsToTheFirstClientThatMaySubmitAndAFreshNonceEachTime() throws Exception {
        String first = perform(mvc, sign("{\"payload\":1}".replace("1", "{\"x\":1}")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.clientId").value("client-0"))
                .andExpect(jsonPath("$.key").doesNotExist())
                .andReturn().getResponse().getContentAsString();
        String second = perform(mvc, sign("{\"payload\":{\"x\":1}}"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();

        long nonce1 = JsonMapper.shared().readTree(first).get("nonce").asLong();
        long nonce2 = JsonMapper.shared().readTree(second).get("nonce").asLong();
        assertThat(nonce2).isGreaterThan(nonce1);
        assertThat(nonce1).isBetween(0L, Transaction.MAX_NONCE);
        assertThat(Base64.getDecoder().decode(JsonMapper.shared().readTree(first).get("signature").asString()))
                .hasSize(64);
    }

    @Test
    void refusesAClientWithoutADemoKeyOrWithoutTheSubmitRole() throws Exception {
        perform(mvc, sign("{\"clientId\":\"client-1\",\"payload\":{}}"))
                .andExpect(problem(400, "no demo key for client 'client-1'; available: client-0"));
        perform(mvc, sign("{\"clientId\":\"nobody\",\"payload\":{}}"))
                .andExpect(problem(400, "no demo key for client 'nobody'; available: client-0"));
    }

    @Test
    void appliesTheSameStrictReadingAsSubmit() throws Exception {
        perform(mvc, sign("{\"payload\":{},\"extra\":1}")).andExpect(problem(400, "unknown field 'extra'"));
        perform(mvc, sign("{\"clientId\":\"client-0\"}")).andExpect(problem(400, "payload is required"));
        perform(mvc, sign("{\"nonce\":-3,\"payload\":{}}"))
                .andExpect(problem(400, "nonce must be between 0 and 2^53-1, got -3"));
    }
}
