package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.node.LedgerService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spring MVC's own refusals come out as problem+json with a precise detail, like the API's. */
@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
@Import(SpringErrorsApiTest.RequiredParamController.class)
class SpringErrorsApiTest {
    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    /** No API endpoint has a required parameter, so this test-only one stands in for them. */
    @RestController
    static class RequiredParamController {
        @GetMapping("/api/v1/test-only/echo")
        String echo(@RequestParam String text) {
            return text;
        }
    }

    @Test
    void aWrongMethodIs405WithTheAllowedMethods() throws Exception {
        perform(mvc, delete("/api/v1/transactions"))
                .andExpect(problem(405, "method DELETE is not supported here; allowed: POST"))
                .andExpect(header().string("Allow", "POST"));
        perform(mvc, get("/api/v1/transactions/batch"))
                .andExpect(problem(400, "txId must be 64 hexadecimal characters, got 'batch'"));
        perform(mvc, post("/api/v1/consensus"))
                .andExpect(problem(405, "method POST is not supported here; allowed: GET"));
    }

    @Test
    void aMissingContentTypeIs415() throws Exception {
        perform(mvc, post("/api/v1/transactions/batch").content("[]"))
                .andExpect(problem(415, "a Content-Type header is required; use application/json"));
    }

    @Test
    void anUnsupportedContentTypeIs415() throws Exception {
        perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_XML).content("<a/>"))
                .andExpect(problem(415, "content type 'application/xml' is not supported; use application/json"));
    }

    @Test
    void aMissingRequiredParameterIs400() throws Exception {
        perform(mvc, get("/api/v1/test-only/echo")).andExpect(problem(400, "query parameter 'text' is required"));
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        perform(mvc, get("/api/v1/nothing-here")).andExpect(problem(404, "no endpoint GET /api/v1/nothing-here"));
    }
}
