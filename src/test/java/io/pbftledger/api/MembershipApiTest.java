package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.chain.Membership;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.node.LedgerService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest
@ContextConfiguration(classes = {ApiSliceTestConfig.class, MembershipApiTest.ChangedMembership.class})
class MembershipApiTest {
    static final Ed25519.PrivateKey CAROL = ApiFixtures.key(77);

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    /** The fixture's membership after block 9 added carol and block 12 revoked client-1. */
    static class ChangedMembership {
        @Bean
        @Primary
        ClientRegistry changedClientRegistry(Membership membership) {
            ClientMembership clients = ClientMembership.genesis(membership)
                    .apply(MembershipOp.parse("{\"op\":\"add\",\"clientId\":\"carol\",\"publicKey\":\""
                            + CAROL.publicKey().toBase64() + "\",\"roles\":[\"read\",\"submit\"]}"), 9)
                    .apply(MembershipOp.parse("{\"op\":\"revoke\",\"clientId\":\"client-1\"}"), 12);
            return new ClientRegistry(clients, new VerifiedTransactions(10));
        }
    }

    @Test
    void theMembershipShowsTheReplicasAndTheCurrentClientsWithTheHeightTheyTookEffect() throws Exception {
        Membership m = ApiFixtures.membership();
        perform(mvc, get("/api/v1/membership"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.chainId").value(ApiFixtures.CHAIN_ID))
                .andExpect(jsonPath("$.height").value(12))
                .andExpect(jsonPath("$.replicas.length()").value(4))
                .andExpect(jsonPath("$.replicas[2].id").value(2))
                .andExpect(jsonPath("$.replicas[2].url").value("http://127.0.0.1:8082"))
                .andExpect(jsonPath("$.replicas[2].publicKey").value(m.replica(2).publicKey().toBase64()))
                .andExpect(jsonPath("$.clients.length()").value(2))
                .andExpect(jsonPath("$.clients[0].id").value("carol"))
                .andExpect(jsonPath("$.clients[0].publicKey").value(CAROL.publicKey().toBase64()))
                .andExpect(jsonPath("$.clients[0].roles[0]").value("submit"))
                .andExpect(jsonPath("$.clients[0].roles[1]").value("read"))
                .andExpect(jsonPath("$.clients[0].since").value(9))
                .andExpect(jsonPath("$.clients[1].id").value("client-0"))
                .andExpect(jsonPath("$.clients[1].since").value(0));
    }
}
