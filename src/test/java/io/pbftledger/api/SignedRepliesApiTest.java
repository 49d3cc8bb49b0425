package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.Transaction;
import io.pbftledger.client.ProofFixtures;
import io.pbftledger.client.ProofVerifier;
import io.pbftledger.client.VerificationException;
import io.pbftledger.client.VerifiedState;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.SubmitResult;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Committed answers carry the replica's signed attestation; a key's value comes with a verifiable proof. */
@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
class SignedRepliesApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Ed25519.PublicKey SELF_KEY = ApiFixtures.REPLICA_KEYS.get(ApiFixtures.SELF).publicKey();
    private static final Transaction TX = ApiFixtures.tx(7);
    private static final Transaction OTHER = ApiFixtures.tx(8);
    /** A real block 1 (executed from genesis, certified by replicas 0, 1 and 3). */
    private static final Block BLOCK = ProofFixtures.firstBlock(ApiFixtures.membership(), ApiFixtures.REPLICA_KEYS,
            List.of(OTHER, TX), 0, 1, 3);

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    private JsonNode json(org.springframework.test.web.servlet.ResultActions actions) throws Exception {
        return JSON.readTree(actions.andReturn().getResponse().getContentAsString());
    }

    private static byte[] signature(JsonNode attestation) {
        return Base64.getDecoder().decode(attestation.get("signature").asString());
    }

    @Test
    void aCommittedSubmitAnswerCarriesTheReplicasSignatureOverTxIdHeightAndBlockHash() throws Exception {
        when(ledger.submit(any())).thenReturn(SubmitResult.committed(ApiFixtures.record(TX, BLOCK, 1)));

        JsonNode answer = json(perform(mvc, post("/api/v1/transactions").param("wait", "true")
                .contentType(MediaType.APPLICATION_JSON).content(ApiFixtures.json(TX)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.attestation.replica").value(ApiFixtures.SELF))
                .andExpect(jsonPath("$.attestation.height").value(1))
                .andExpect(jsonPath("$.attestation.blockHash").value(BLOCK.hash().hex()))
                .andExpect(jsonPath("$.attestation.subject").value(TX.txId().hex())));

        ReplyStatement statement = ReplyStatement.transaction(ApiFixtures.CHAIN_ID, TX.txId(), 1, BLOCK.hash());
        assertThat(statement.verify(SELF_KEY, signature(answer.get("attestation")))).isTrue();
        ReplyStatement elsewhere = ReplyStatement.transaction(ApiFixtures.CHAIN_ID, TX.txId(), 2, BLOCK.hash());
        assertThat(elsewhere.verify(SELF_KEY, signature(answer.get("attestation")))).isFalse();
    }

    @Test
    void aPendingAnswerCarriesNoAttestation() throws Exception {
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(TX.txId()));

        JsonNode answer = json(perform(mvc, post("/api/v1/transactions")
                .contentType(MediaType.APPLICATION_JSON).content(ApiFixtures.json(TX)))
                .andExpect(status().isAccepted()));
        assertThat(answer.has("attestation")).isFalse();

        when(queries.transaction(TX.txId())).thenReturn(Optional.empty());
        when(ledger.pendingTransaction(TX.txId())).thenReturn(Optional.of(TX));
        JsonNode status = json(perform(mvc, get("/api/v1/transactions/" + TX.txId().hex()))
                .andExpect(jsonPath("$.status").value("PENDING")));
        assertThat(status.has("attestation")).isFalse();
    }

    @Test
    void aCommittedTransactionLookupIsSignedForItsLocation() throws Exception {
        when(queries.transaction(TX.txId())).thenReturn(Optional.of(ApiFixtures.record(TX, BLOCK, 1)));

        JsonNode answer = json(perform(mvc, get("/api/v1/transactions/" + TX.txId().hex()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.blockHeight").value(1))
                .andExpect(jsonPath("$.attestation.subject").value(TX.txId().hex())));

        ReplyStatement statement = ReplyStatement.transaction(ApiFixtures.CHAIN_ID, TX.txId(), 1, BLOCK.hash());
        assertThat(statement.verify(SELF_KEY, signature(answer.get("attestation")))).isTrue();
    }

    @Test
    void aStateReadIsSignedAtTheNewestHeightAndBindsTheValueAndItsWriter() throws Exception {
        Block newest = ApiFixtures.block(5, List.of());
        when(queries.state("greeting")).thenReturn(Optional.of(new StateEntry("greeting", TX.payload(), 1, TX.txId())));
        when(queries.headersBefore(Long.MAX_VALUE, 1)).thenReturn(List.of(newest.header()));

        JsonNode answer = json(perform(mvc, get("/api/v1/state/greeting"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.blockHeight").value(1))
                .andExpect(jsonPath("$.attestation.height").value(5))
                .andExpect(jsonPath("$.attestation.blockHash").value(newest.hash().hex()))
                .andExpect(jsonPath("$.attestation.subject").value("greeting")));

        byte[] signature = signature(answer.get("attestation"));
        assertThat(ReplyStatement.state(ApiFixtures.CHAIN_ID, "greeting", 5, newest.hash(), TX.payload(), TX.txId())
                .verify(SELF_KEY, signature)).isTrue();
        assertThat(ReplyStatement.state(ApiFixtures.CHAIN_ID, "greeting", 5, newest.hash(), "{\"text\":\"bye\"}",
                TX.txId()).verify(SELF_KEY, signature)).as("another value").isFalse();
    }

    @Test
    void aStateProofVerifiesAgainstTheMembershipAlone() throws Exception {
        Block newest = ApiFixtures.block(4, List.of());
        stubKey(newest);

        JsonNode proof = json(perform(mvc, get("/api/v1/state/greeting/proof"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.key").value("greeting"))
                .andExpect(jsonPath("$.value.n").value(7))
                .andExpect(jsonPath("$.transaction.txId").value(TX.txId().hex()))
                .andExpect(jsonPath("$.index").value(1))
                .andExpect(jsonPath("$.transactionCount").value(2))
                .andExpect(jsonPath("$.transactionIds[1]").value(TX.txId().hex()))
                .andExpect(jsonPath("$.block.hash").value(BLOCK.hash().hex()))
                .andExpect(jsonPath("$.block.certificate.length()").value(3))
                .andExpect(jsonPath("$.attestation.height").value(4)));

        VerifiedState verified = new ProofVerifier(ApiFixtures.membership()).state(proof, "greeting", "test");
        assertThat(verified.value()).isEqualTo(TX.payload());
        assertThat(verified.writer().blockHeight()).isEqualTo(1);
        assertThat(verified.writer().certifiedBy()).containsExactly(0, 1, 3);
        assertThat(verified.answeredAtHeight()).isEqualTo(4);
        assertThat(verified.answeredBy()).isEqualTo(ApiFixtures.SELF);
    }

    @Test
    void aStateProofWithAnEditedValueFailsVerification() throws Exception {
        stubKey(ApiFixtures.block(4, List.of()));
        JsonNode proof = json(perform(mvc, get("/api/v1/state/greeting/proof")).andExpect(status().isOk()));
        ((ObjectNode) proof).set("value", JSON.readTree("{\"n\":8,\"text\":\"hello\"}"));

        assertThatThrownBy(() -> new ProofVerifier(ApiFixtures.membership()).state(proof, "greeting", "test"))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("not the payload of the proven transaction");
    }

    @Test
    void theProofOfAnUnknownKeyIs404AndABadKeyIs400() throws Exception {
        when(queries.state("missing")).thenReturn(Optional.empty());
        perform(mvc, get("/api/v1/state/missing/proof")).andExpect(problem(404, "no value for key 'missing'"));
        perform(mvc, get("/api/v1/state/bad key/proof"))
                .andExpect(problem(400, "key must match [A-Za-z0-9._:-]{1,256}"));
    }

    @Test
    void aTransactionProofListsTheBlocksTxIdsThatRecomputeTheCertifiedBatchDigest() throws Exception {
        when(queries.transaction(TX.txId())).thenReturn(Optional.of(ApiFixtures.record(TX, BLOCK, 1)));
        when(queries.blockByHeight(1)).thenReturn(Optional.of(BLOCK));

        JsonNode proof = json(perform(mvc, get("/api/v1/transactions/" + TX.txId().hex() + "/proof"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.transactionIds[0]").value(OTHER.txId().hex()))
                .andExpect(jsonPath("$.transactionIds[1]").value(TX.txId().hex())));

        assertThat(new ProofVerifier(ApiFixtures.membership()).transaction(proof, TX.txId(), "test").index())
                .isEqualTo(1);
    }

    private void stubKey(Block newest) {
        when(queries.state("greeting")).thenReturn(Optional.of(new StateEntry("greeting", TX.payload(), 1, TX.txId())));
        when(queries.headersBefore(Long.MAX_VALUE, 1)).thenReturn(List.of(newest.header()));
        when(queries.transaction(TX.txId())).thenReturn(Optional.of(ApiFixtures.record(TX, BLOCK, 1)));
        when(queries.blockByHeight(1)).thenReturn(Optional.of(BLOCK));
    }

}
