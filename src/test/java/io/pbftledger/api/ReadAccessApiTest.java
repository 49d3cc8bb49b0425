package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.SubmitResult;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.web.ProblemType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** ledger.api.reads=authenticated: reads need a signed request by a client with the read role. */
@WebMvcTest
@ContextConfiguration(classes = {ApiSliceTestConfig.class, ReadAccessApiTest.SignedReads.class})
@TestPropertySource(properties = "ledger.api.reads=authenticated")
class ReadAccessApiTest {
    static final long NOW_MS = 1_767_225_600_000L;
    static final ClientIdentity READER = new ClientIdentity("client-1", ApiFixtures.CHAIN_ID, ApiFixtures.CLIENT_1_KEY);
    static final ClientIdentity WRITER = new ClientIdentity("writer", ApiFixtures.CHAIN_ID, ApiFixtures.key(88));
    static final ClientIdentity STRANGER = new ClientIdentity("mallory", ApiFixtures.CHAIN_ID, ApiFixtures.key(99));

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    /** The fixture's clients plus 'writer' (submit only), and the signed-header scheme on a fixed clock. */
    static class SignedReads {
        @Bean
        @Primary
        ClientRegistry changedClientRegistry(Membership membership) {
            ClientMembership clients = ClientMembership.genesis(membership).apply(MembershipOp.parse(
                    "{\"op\":\"add\",\"clientId\":\"writer\",\"publicKey\":\"" + WRITER.privateKey().publicKey().toBase64()
                            + "\",\"roles\":[\"submit\"]}"), 3);
            return new ClientRegistry(clients, new VerifiedTransactions(10));
        }

        @Bean
        SignedReadAuthenticator signedReadAuthenticator(ClientRegistry clients, ApiProperties api) {
            return new SignedReadAuthenticator(clients, () -> NOW_MS, api.readTimestampSkewMs());
        }
    }

    private static MockHttpServletRequestBuilder signed(ClientIdentity who, String pathAndQuery, long timestampMs) {
        return get(java.net.URI.create(pathAndQuery))
                .header(ReadRequestSignature.CLIENT_HEADER, who.clientId())
                .header(ReadRequestSignature.TIMESTAMP_HEADER, Long.toString(timestampMs))
                .header(ReadRequestSignature.SIGNATURE_HEADER, ReadRequestSignature.sign(who, "GET", pathAndQuery, timestampMs));
    }

    @Test
    void aReadSignedByAClientWithTheReadRoleIsAnswered() throws Exception {
        perform(mvc, signed(READER, "/api/v1/membership", NOW_MS - 1_000))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.chainId").value(ApiFixtures.CHAIN_ID));
        when(queries.blockByHeight(5)).thenReturn(java.util.Optional.empty());
        perform(mvc, signed(READER, "/api/v1/blocks/5?x=1%202", NOW_MS + 299_000))
                .andExpect(status().isNotFound());
    }

    @Test
    void anUnsignedReadIsRefusedWith401() throws Exception {
        perform(mvc, get("/api/v1/membership"))
                .andExpect(problem(ProblemType.UNAUTHORIZED, "reads on this replica need a client with the read role "
                        + "(ledger.api.reads=authenticated): sign the request with the headers X-Ledger-Client, "
                        + "X-Ledger-Timestamp and X-Ledger-Signature"))
                .andExpect(header().string("WWW-Authenticate", ReadRequestSignature.DOMAIN));
    }

    @Test
    void aSignatureOverAnotherRequestOrByAnotherKeyIsRefusedWith401() throws Exception {
        long ts = NOW_MS;
        String otherPath = ReadRequestSignature.sign(READER, "GET", "/api/v1/consensus", ts);
        perform(mvc, get("/api/v1/membership")
                .header(ReadRequestSignature.CLIENT_HEADER, "client-1")
                .header(ReadRequestSignature.TIMESTAMP_HEADER, Long.toString(ts))
                .header(ReadRequestSignature.SIGNATURE_HEADER, otherPath))
                .andExpect(problem(ProblemType.INVALID_SIGNATURE, "X-Ledger-Signature does not verify with the key of client 'client-1' over "
                        + "PBFT-LEDGER-READ/v1, chain pbft-test-chain, GET /api/v1/membership, timestamp " + ts));
        ClientIdentity impostor = new ClientIdentity("client-1", ApiFixtures.CHAIN_ID, ApiFixtures.key(55));
        perform(mvc, signed(impostor, "/api/v1/membership", ts)).andExpect(status().isUnauthorized());
        perform(mvc, get("/api/v1/membership")
                .header(ReadRequestSignature.CLIENT_HEADER, "client-1")
                .header(ReadRequestSignature.TIMESTAMP_HEADER, Long.toString(ts))
                .header(ReadRequestSignature.SIGNATURE_HEADER, "not base64!"))
                .andExpect(problem(ProblemType.INVALID_SIGNATURE, "X-Ledger-Signature is not base64"));
    }

    @Test
    void aTimestampOutsideTheReplayWindowIsRefusedWith401() throws Exception {
        perform(mvc, signed(READER, "/api/v1/membership", NOW_MS - 300_001))
                .andExpect(problem(ProblemType.INVALID_SIGNATURE, "X-Ledger-Timestamp is 300001 ms away from this replica's clock; at most "
                        + "300000 ms is accepted (ledger.api.read-timestamp-skew-ms)"));
        perform(mvc, signed(READER, "/api/v1/membership", NOW_MS + 400_000)).andExpect(status().isUnauthorized());
        perform(mvc, get("/api/v1/membership")
                .header(ReadRequestSignature.CLIENT_HEADER, "client-1")
                .header(ReadRequestSignature.TIMESTAMP_HEADER, "yesterday")
                .header(ReadRequestSignature.SIGNATURE_HEADER, "AAAA"))
                .andExpect(problem(ProblemType.INVALID_SIGNATURE, "X-Ledger-Timestamp must be unix time in milliseconds, got 'yesterday'"));
        perform(mvc, get("/api/v1/membership").header(ReadRequestSignature.CLIENT_HEADER, "client-1"))
                .andExpect(problem(ProblemType.INVALID_SIGNATURE, "a signed read needs all of X-Ledger-Client, X-Ledger-Timestamp and X-Ledger-Signature"));
    }

    @Test
    void aClientWithoutTheReadRoleOrAStrangerIsRefusedWith403() throws Exception {
        perform(mvc, signed(WRITER, "/api/v1/membership", NOW_MS))
                .andExpect(problem(ProblemType.FORBIDDEN, "client 'writer' lacks the read role"));
        perform(mvc, signed(STRANGER, "/api/v1/membership", NOW_MS))
                .andExpect(problem(ProblemType.UNKNOWN_CLIENT, "client 'mallory' is not a member of this ledger"));
    }

    @Test
    void writesAndPathsOutsideTheReadApiAreNotAskedForReadCredentials() throws Exception {
        io.pbftledger.chain.Transaction tx = ApiFixtures.tx(1);
        when(ledger.submit(tx)).thenReturn(SubmitResult.pending(tx.txId()));
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(ApiFixtures.json(tx)))
                .andExpect(status().isAccepted());
        perform(mvc, get("/v3/api-docs-not-here")).andExpect(status().isNotFound());
    }

    @Test
    void readAccessDefaultsToOpenAndRefusesAnUnknownSetting() {
        org.assertj.core.api.Assertions.assertThat(new ApiProperties(10, 20).reads()).isEqualTo(ReadAccess.OPEN);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApiProperties(10, 20, ReadAccess.OPEN, 0))
                .hasMessage("ledger.api.read-timestamp-skew-ms must be between 1 and 3600000, got 0");
    }

}
