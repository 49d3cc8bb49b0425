package io.pbftledger.explorer;

import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.sun.net.httpserver.HttpServer;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.node.LedgerService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Replica 0 gathers the cluster: peers 1 and 2 are stub HTTP servers answering their consensus
 * status, peer 3 listens on nothing.
 */
@WebMvcTest
@ContextConfiguration(classes = {ExplorerSliceTestConfig.class, ClusterApiTest.Peers.class})
class ClusterApiTest {
    private static final List<HttpServer> STUBS = new ArrayList<>();
    private static List<String> urls;

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    static class Peers {
        @Bean
        Membership membership() {
            return ExplorerFixtures.membership(urls);
        }
    }

    @BeforeAll
    static void startStubPeers() throws IOException {
        List<String> list = new ArrayList<>();
        list.add("http://127.0.0.1:1");
        list.add(stub(1, "{\"replicaId\":1,\"view\":3,\"primary\":3,\"status\":\"NORMAL\",\"height\":41,"
                + "\"lastExecutedSequence\":45,\"stableCheckpoint\":40,\"pendingTransactions\":2}"));
        list.add(stub(2, "{\"replicaId\":2,\"view\":4,\"primary\":0,\"status\":\"VIEW_CHANGE\",\"height\":40,"
                + "\"lastExecutedSequence\":44,\"stableCheckpoint\":40,\"pendingTransactions\":0}"));
        try (ServerSocket closed = new ServerSocket(0)) {
            list.add("http://127.0.0.1:" + closed.getLocalPort());
        }
        urls = list;
    }

    @AfterAll
    static void stopStubPeers() {
        STUBS.forEach(s -> s.stop(0));
    }

    private static String stub(int id, String json) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/consensus", exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        STUBS.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void everyReplicaIsListedByIdWithThisOneFromItsOwnStateAndADeadPeerAsUnreachable() throws Exception {
        when(ledger.consensus()).thenReturn(ExplorerFixtures.consensus(0, 3, 42));

        mvc.perform(get("/api/v1/cluster"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.replicaId").value(0))
                .andExpect(jsonPath("$.replicas.length()").value(4))
                .andExpect(jsonPath("$.replicas[0].self").value(true))
                .andExpect(jsonPath("$.replicas[0].height").value(42))
                .andExpect(jsonPath("$.replicas[1].reachable").value(true))
                .andExpect(jsonPath("$.replicas[1].view").value(3))
                .andExpect(jsonPath("$.replicas[1].primary").value(3))
                .andExpect(jsonPath("$.replicas[1].height").value(41))
                .andExpect(jsonPath("$.replicas[1].pendingTransactions").value(2))
                .andExpect(jsonPath("$.replicas[2].status").value("VIEW_CHANGE"))
                .andExpect(jsonPath("$.replicas[3].id").value(3))
                .andExpect(jsonPath("$.replicas[3].reachable").value(false))
                .andExpect(jsonPath("$.replicas[3].error").value("connection refused"))
                .andExpect(jsonPath("$.replicas[3].view").doesNotExist());
    }

    @Test
    void anyReplicaListsItselfFromItsOwnStateAndAsksAllOthers() throws Exception {
        when(ledger.consensus()).thenReturn(ExplorerFixtures.consensus(1, 3, 42));

        // Replica 1 asks replica 0 (nothing listens at its URL) instead of itself.
        mvc.perform(get("/api/v1/cluster"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.replicas[1].self").value(true))
                .andExpect(jsonPath("$.replicas[1].height").value(42))
                .andExpect(jsonPath("$.replicas[0].reachable").value(false));
    }

    @Test
    void theExplorerPathLeadsToThePage() throws Exception {
        mvc.perform(get("/explorer"))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers
                        .redirectedUrl("/explorer/index.html"));
    }
}
