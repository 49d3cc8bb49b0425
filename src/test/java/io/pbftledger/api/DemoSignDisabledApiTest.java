package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.node.LedgerService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** Without ledger.demo.enabled=true the signer, which holds private keys, does not exist at all. */
@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
class DemoSignDisabledApiTest {
    @Autowired
    MockMvc mvc;
    @Autowired
    ApplicationContext context;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    @Test
    void theDemoSignerIsAbsentAndItsPathIs404() throws Exception {
        assertThat(context.getBeanNamesForType(DemoSignController.class)).isEmpty();
        perform(mvc, post("/api/v1/demo/sign").contentType(MediaType.APPLICATION_JSON).content("{\"payload\":{}}"))
                .andExpect(problem(404, "no endpoint POST /api/v1/demo/sign"));
    }
}
