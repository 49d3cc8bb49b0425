package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.node.LedgerService;
import io.pbftledger.web.ProblemType;
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
                .andExpect(problem(ProblemType.METHOD_NOT_ALLOWED, "method DELETE is not supported here; allowed: POST"))
                .andExpect(header().string("Allow", "POST"));
        perform(mvc, get("/api/v1/transactions/batch"))
                .andExpect(problem(ProblemType.INVALID_REQUEST, "txId must be 64 hexadecimal characters, got 'batch'"));
        perform(mvc, post("/api/v1/consensus"))
                .andExpect(problem(ProblemType.METHOD_NOT_ALLOWED, "method POST is not supported here; allowed: GET"));
    }

    @Test
    void aMissingContentTypeIs415() throws Exception {
        perform(mvc, post("/api/v1/transactions/batch").content("[]"))
                .andExpect(problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "a Content-Type header is required; use application/json"));
    }

    @Test
    void anUnsupportedContentTypeIs415() throws Exception {
        perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_XML).content("<a/>"))
                .andExpect(problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "content type 'application/xml' is not supported; use application/json"));
    }

    @Test
    void aMissingRequiredParameterIs400() throws Exception {
        perform(mvc, get("/api/v1/test-only/echo")).andExpect(problem(ProblemType.INVALID_REQUEST, "query parameter 'text' is required"));
    }

    @Test
    void anAcceptHeaderAllowingNothingTheEndpointProducesIs406() throws Exception {
        perform(mvc, get("/api/v1/consensus").accept(MediaType.TEXT_HTML))
                .andExpect(problem(ProblemType.NOT_ACCEPTABLE,
                        "the Accept header allows no type this endpoint produces; accept application/json"));
    }

    @Test
    void aMissingBodyIs400() throws Exception {
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON))
                .andExpect(problem(ProblemType.INVALID_REQUEST, "a request body is required"));
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        perform(mvc, get("/api/v1/nothing-here")).andExpect(problem(ProblemType.NOT_FOUND, "no endpoint GET /api/v1/nothing-here"));
    }
}
