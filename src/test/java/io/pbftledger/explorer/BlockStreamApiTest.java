package io.pbftledger.explorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.api.BlockStreamController;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.node.LedgerService;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

@WebMvcTest
@ContextConfiguration(classes = ExplorerSliceTestConfig.class)
class BlockStreamApiTest {
    @Autowired
    MockMvc mvc;
    @Autowired
    ApplicationContext context;
    @Autowired
    BlockStreamController stream;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;
    @MockitoBean
    Membership membership;

    @Test
    void aSubscriberReceivesEachCommittedBlockHeaderAsABlockEvent() throws Exception {
        MvcResult result = mvc.perform(get("/api/v1/blocks/stream"))
                .andExpect(request().asyncStarted())
                .andExpect(header().string("Content-Type", org.hamcrest.Matchers.startsWith("text/event-stream")))
                .andReturn();

        stream.accept(ExplorerFixtures.block(7, List.of(ExplorerFixtures.tx(1), ExplorerFixtures.tx(2))));

        String body = awaitBody(result, "\"height\":7");
        assertThat(body).contains("event:block").contains("id:7").contains("\"transactionCount\":2")
                .contains("\"primary\":0").doesNotContain("certificate");
    }

    @Test
    void theStreamIsABlockListenerThatTheNodeWiringPicksUp() {
        // NodeConfiguration collects every Consumer<Block> bean; the stream must be one of them.
        String[] listeners = context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Consumer.class, Block.class));
        assertThat(listeners).contains("blockStreamController");
    }

    @Test
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
    void subscribersBeyondTheLimitAreRefusedWith429() throws Exception {
        int open = stream.subscriberCount();
        // From as many addresses as it takes: one address may hold only a few streams.
        for (int i = open; i < BlockStreamController.MAX_SUBSCRIBERS; i++) {
            String address = "10.0.0." + (i / BlockStreamController.MAX_SUBSCRIBERS_PER_CLIENT + 1);
            mvc.perform(get("/api/v1/blocks/stream").with(from(address))).andExpect(request().asyncStarted());
        }
        mvc.perform(get("/api/v1/blocks/stream").with(from("10.0.1.1"))).andExpect(status().isTooManyRequests())
                .andExpect(content().string(org.hamcrest.Matchers.containsString(
                        "this replica serves its maximum of 64 block streams")));
    }

    @Test
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
    void oneClientAddressHoldsAtMostItsShareOfTheStreams() throws Exception {
        for (int i = 0; i < BlockStreamController.MAX_SUBSCRIBERS_PER_CLIENT; i++) {
            mvc.perform(get("/api/v1/blocks/stream").with(from("10.0.2.1"))).andExpect(request().asyncStarted());
        }
        mvc.perform(get("/api/v1/blocks/stream").with(from("10.0.2.1"))).andExpect(status().isTooManyRequests())
                .andExpect(content().string(org.hamcrest.Matchers.containsString(
                        "address 10.0.2.1 already has 4 block streams open on this replica")));
        mvc.perform(get("/api/v1/blocks/stream").with(from("10.0.2.2"))).andExpect(request().asyncStarted());
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    private static String awaitBody(MvcResult result, String expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        String body = result.getResponse().getContentAsString();
        while (!body.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            body = result.getResponse().getContentAsString();
        }
        return body;
    }
}
