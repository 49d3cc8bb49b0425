package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Refusal;
import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.client.VerifiedTransaction;
import io.pbftledger.client.ProofVerifier;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.CheckpointStore;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.SubmitResult;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.storage.JpaLedgerStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.data.jpa.test.autoconfigure.AutoConfigureDataJpa;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureJdbc;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ordered is not executed: a transaction that PBFT ordered but execution refused (its client was
 * revoked in an earlier block; a membership change that does not apply) is reported REFUSED with the
 * stored reason, and signed as a refusal, on {@code ?wait=true}, on lookup and on its proof. The real
 * API over the real store on H2 (Flyway-migrated), holding blocks executed as replicas execute them.
 */
@WebMvcTest
@AutoConfigureJdbc
@AutoConfigureDataJpa
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(classes = TransactionOutcomeApiTest.Context.class)
class TransactionOutcomeApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RefusalChain CHAIN = new RefusalChain();
    private static final Ed25519.PublicKey SELF_KEY = ApiFixtures.REPLICA_KEYS.get(ApiFixtures.SELF).publicKey();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:outcome-api-test;DB_CLOSE_DELAY=-1");
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }

    /** The api package's web layer (as ApiSliceTestConfig) with the real JPA store instead of mocks. */
    @ComponentScan(basePackageClasses = ApiWebConfig.class,
            excludeFilters = @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class))
    @Import(JpaLedgerStore.class)
    @EntityScan(basePackageClasses = JpaLedgerStore.class)
    @EnableJpaRepositories(basePackageClasses = JpaLedgerStore.class)
    static class Context {
        @Bean
        Membership membership() {
            return CHAIN.membership;
        }

        @Bean
        CheckpointStore checkpointStore() {
            return Mockito.mock(CheckpointStore.class);
        }

        @Bean
        io.pbftledger.node.EpochProofs epochProofs() {
            return Mockito.mock(io.pbftledger.node.EpochProofs.class);
        }

        @Bean
        ReplyAttestor replyAttestor() {
            return new ReplyAttestor(CHAIN.membership, ApiFixtures.REPLICA_KEYS.get(ApiFixtures.SELF), false);
        }

        @Bean
        List<ClientIdentity> demoClientIdentities() {
            return List.of();
        }

        @Bean
        ClientRegistry clientRegistry(Membership membership) {
            return new ClientRegistry(ClientMembership.genesis(membership), new VerifiedTransactions(100));
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    JpaLedgerStore store;
    @MockitoBean
    LedgerService ledger;

    @BeforeEach
    void storeTheChainOnce() {
        if (store.blockByHeight(3).isEmpty()) {
            store.initialize(Genesis.of(CHAIN.membership));
            store.loadOrInitialize(ClientMembership.genesis(CHAIN.membership));
            store.append(CHAIN.first);
            store.append(CHAIN.second);
            store.append(CHAIN.third);
        }
    }

    private static JsonNode json(ResultActions actions) throws Exception {
        return JSON.readTree(actions.andReturn().getResponse().getContentAsString());
    }

    private static Refusal refusalOf(Transaction tx) {
        return CHAIN.second.refusals().stream().filter(r -> r.txId().equals(tx.txId())).findFirst().orElseThrow();
    }

    private static boolean signs(JsonNode attestation, ReplyStatement statement) {
        return statement.verify(SELF_KEY, Base64.getDecoder().decode(attestation.get("signature").asString()));
    }

    private static ReplyStatement refusalStatement(Transaction tx, long height, Digest blockHash) {
        Refusal refusal = refusalOf(tx);
        return ReplyStatement.refusedTransaction(RefusalChain.CHAIN_ID, tx.txId(), height, blockHash,
                refusal.kind().name(), refusal.reason());
    }

    @Test
    void aRevokedClientsOrderedTransactionIsReportedRefusedWithTheStoredReasonOnLookup() throws Exception {
        Transaction tx = CHAIN.bobAfterRevocation;
        Digest blockHash = CHAIN.second.block().hash();

        JsonNode answer = json(perform(mvc, get("/api/v1/transactions/" + tx.txId().hex()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("COMMITTED"))
                .andExpect(jsonPath("$.blockHeight").value(2))
                .andExpect(jsonPath("$.index").value(0))
                .andExpect(jsonPath("$.outcome").value("REFUSED"))
                .andExpect(jsonPath("$.refusal.kind").value("FORBIDDEN"))
                .andExpect(jsonPath("$.refusal.reason").value("client 'bob' is not a member of this ledger")));

        assertThat(signs(answer.get("attestation"), refusalStatement(tx, 2, blockHash))).isTrue();
        assertThat(signs(answer.get("attestation"),
                ReplyStatement.transaction(RefusalChain.CHAIN_ID, tx.txId(), 2, blockHash)))
                .as("the refusal is never signed as an executed transaction").isFalse();
    }

    @Test
    void anExecutedTransactionIsReportedExecutedAndSignedWithTheUnchangedStatement() throws Exception {
        Transaction tx = CHAIN.aliceSecond;
        Digest blockHash = CHAIN.second.block().hash();

        JsonNode answer = json(perform(mvc, get("/api/v1/transactions/" + tx.txId().hex()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("COMMITTED"))
                .andExpect(jsonPath("$.outcome").value("EXECUTED"))
                .andExpect(jsonPath("$.refusal").doesNotExist()));

        assertThat(signs(answer.get("attestation"),
                ReplyStatement.transaction(RefusalChain.CHAIN_ID, tx.txId(), 2, blockHash))).isTrue();
    }

    @Test
    void waitTrueReportsARevokedClientsTransactionRefusedOnceItIsOrdered() throws Exception {
        Transaction tx = CHAIN.bobAfterRevocation;
        TransactionRecord committed = store.transaction(tx.txId()).orElseThrow();
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(tx.txId()));
        when(ledger.whenCommitted(tx.txId())).thenReturn(CompletableFuture.completedFuture(
                SubmitResult.committed(committed)));

        JsonNode answer = json(perform(mvc, post("/api/v1/transactions").param("wait", "true")
                .contentType(MediaType.APPLICATION_JSON).content(ApiFixtures.json(tx)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("COMMITTED"))
                .andExpect(jsonPath("$.blockHeight").value(2))
                .andExpect(jsonPath("$.outcome").value("REFUSED"))
                .andExpect(jsonPath("$.refusal.kind").value("FORBIDDEN"))
                .andExpect(jsonPath("$.refusal.reason").value("client 'bob' is not a member of this ledger")));

        assertThat(signs(answer.get("attestation"), refusalStatement(tx, 2, committed.blockHash()))).isTrue();
    }

    @Test
    void waitTrueReportsAnExecutedTransactionExecuted() throws Exception {
        Transaction tx = CHAIN.aliceFirst;
        when(ledger.submit(any())).thenReturn(SubmitResult.committed(store.transaction(tx.txId()).orElseThrow()));

        perform(mvc, post("/api/v1/transactions").param("wait", "true")
                .contentType(MediaType.APPLICATION_JSON).content(ApiFixtures.json(tx)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value("EXECUTED"))
                .andExpect(jsonPath("$.refusal").doesNotExist());
    }

    @Test
    void anInvalidMembershipChangeIsReportedRefusedOnItsProofAndTheProofStillVerifies() throws Exception {
        Transaction tx = CHAIN.revokeNobody;
        Refusal stored = refusalOf(tx);

        JsonNode proof = json(perform(mvc, get("/api/v1/transactions/" + tx.txId().hex() + "/proof"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.transaction.status").value("COMMITTED"))
                .andExpect(jsonPath("$.transaction.outcome").value("REFUSED"))
                .andExpect(jsonPath("$.transaction.refusal.kind").value("INVALID"))
                .andExpect(jsonPath("$.transaction.refusal.reason").value(stored.reason())));

        assertThat(stored.reason()).contains("nobody");
        assertThat(signs(proof.get("attestation"), refusalStatement(tx, 2, CHAIN.second.block().hash()))).isTrue();
        VerifiedTransaction verified = new ProofVerifier(CHAIN.membership).transaction(proof, tx.txId(), "replica 2");
        assertThat(verified.index()).isEqualTo(1);
        assertThat(verified.outcome()).isEqualTo(io.pbftledger.client.Outcome.REFUSED);
        assertThat(verified.refusal()).isEqualTo(new io.pbftledger.client.ExecutionRefusal("INVALID", stored.reason()));
        assertThat(verified.outcomeSignedBy()).isEqualTo(ApiFixtures.SELF);
    }

    @Test
    void theRefusedMembershipChangeIsReportedRefusedOnLookupToo() throws Exception {
        Transaction tx = CHAIN.revokeNobody;

        perform(mvc, get("/api/v1/transactions/" + tx.txId().hex()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome").value("REFUSED"))
                .andExpect(jsonPath("$.refusal.kind").value("INVALID"))
                .andExpect(jsonPath("$.refusal.reason").value(refusalOf(tx).reason()));
    }

    @Test
    void theAdminOpThatTookEffectIsExecutedOnItsProof() throws Exception {
        perform(mvc, get("/api/v1/transactions/" + CHAIN.revokeBob.txId().hex() + "/proof"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.transaction.outcome").value("EXECUTED"))
                .andExpect(jsonPath("$.transaction.refusal").doesNotExist());
    }

    @Test
    void aBlocksTransactionListReportsTheOutcomeAtEachPosition() throws Exception {
        perform(mvc, get("/api/v1/blocks/2/transactions"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.transactions.length()").value(3))
                .andExpect(jsonPath("$.transactions[0].txId").value(CHAIN.bobAfterRevocation.txId().hex()))
                .andExpect(jsonPath("$.transactions[0].outcome").value("REFUSED"))
                .andExpect(jsonPath("$.transactions[0].refusal.kind").value("FORBIDDEN"))
                .andExpect(jsonPath("$.transactions[0].refusal.reason").value("client 'bob' is not a member of this ledger"))
                .andExpect(jsonPath("$.transactions[1].outcome").value("REFUSED"))
                .andExpect(jsonPath("$.transactions[1].refusal.kind").value("INVALID"))
                .andExpect(jsonPath("$.transactions[1].refusal.reason").value(refusalOf(CHAIN.revokeNobody).reason()))
                .andExpect(jsonPath("$.transactions[2].outcome").value("EXECUTED"))
                .andExpect(jsonPath("$.transactions[2].refusal").doesNotExist())
                .andExpect(jsonPath("$.transactions[2].attestation").doesNotExist());
    }

    @Test
    void aCopyOrderedAgainIsListedSkippedEvenWhenItsFirstPositionWasRefused() throws Exception {
        perform(mvc, get("/api/v1/blocks/3/transactions"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.transactions.length()").value(4))
                .andExpect(jsonPath("$.transactions[0].txId").value(CHAIN.aliceFirst.txId().hex()))
                .andExpect(jsonPath("$.transactions[0].outcome").value("SKIPPED"))
                .andExpect(jsonPath("$.transactions[0].refusal").doesNotExist())
                .andExpect(jsonPath("$.transactions[1].outcome").value("REFUSED"))
                .andExpect(jsonPath("$.transactions[1].refusal.reason").value("client 'bob' is not a member of this ledger"))
                .andExpect(jsonPath("$.transactions[2].outcome").value("EXECUTED"))
                .andExpect(jsonPath("$.transactions[3].txId").value(CHAIN.bobAfterRevocation.txId().hex()))
                .andExpect(jsonPath("$.transactions[3].outcome").value("SKIPPED"))
                .andExpect(jsonPath("$.transactions[3].refusal").doesNotExist());
        perform(mvc, get("/api/v1/transactions/" + CHAIN.aliceFirst.txId().hex()))
                .andExpect(jsonPath("$.blockHeight").value(1))
                .andExpect(jsonPath("$.outcome").value("EXECUTED"));
    }

    @Test
    void theGenesisListsNoTransactions() throws Exception {
        perform(mvc, get("/api/v1/blocks/0/transactions"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.transactions.length()").value(0));
    }
}
