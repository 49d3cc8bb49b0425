package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.ChainCheck;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.node.LedgerService;
import io.pbftledger.web.ProblemType;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
class ReadApiTest {
    private static final Transaction TX = ApiFixtures.tx(3);
    private static final Transaction LOG_ONLY = Transaction.sign(ApiFixtures.CHAIN_ID, "client-0", 4, null, "[1,2]",
            ApiFixtures.CLIENT_0_KEY);
    private static final Block BLOCK = ApiFixtures.block(12, List.of(TX, LOG_ONLY));

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;
    /** Proves nobody unless a test says so; the chain verification needs an admin. */
    @MockitoBean
    ReadAuthenticator authenticator;

    private void asAdmin() {
        when(authenticator.authenticate(any())).thenReturn(Optional.of(new ClientEntry("client-0",
                ApiFixtures.CLIENT_0_KEY.publicKey(), Set.of(Role.ADMIN), 0)));
    }

    @Test
    void aCommittedTransactionIsShownAsSignedWithItsLocation() throws Exception {
        when(queries.transaction(TX.txId())).thenReturn(Optional.of(ApiFixtures.record(TX, BLOCK, 0)));

        perform(mvc, get("/api/v1/transactions/" + TX.txId().hex()))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.txId").value(TX.txId().hex()))
                .andExpect(jsonPath("$.status").value("COMMITTED"))
                .andExpect(jsonPath("$.chainId").value(ApiFixtures.CHAIN_ID))
                .andExpect(jsonPath("$.clientId").value("client-0"))
                .andExpect(jsonPath("$.nonce").value(3))
                .andExpect(jsonPath("$.key").value("greeting"))
                .andExpect(jsonPath("$.payload.text").value("hello"))
                .andExpect(jsonPath("$.payload.n").value(3))
                .andExpect(jsonPath("$.signature").value(TX.signatureBase64()))
                .andExpect(jsonPath("$.blockHeight").value(12))
                .andExpect(jsonPath("$.blockHash").value(BLOCK.hash().hex()))
                .andExpect(jsonPath("$.index").value(0));
    }

    @Test
    void aProofCarriesTheMerklePathThatLeadsToTheBlocksTransactionsRootAndTheCertificate() throws Exception {
        // A real block, executed from genesis, so its transactionsRoot is the Merkle root of its txIds.
        io.pbftledger.chain.Block template = ApiFixtures.block(1, List.of(TX, LOG_ONLY, ApiFixtures.tx(5)));
        Block real = io.pbftledger.chain.BlockExecutor.execute(
                io.pbftledger.chain.Genesis.of(ApiFixtures.membership()).header(),
                new io.pbftledger.chain.OrderedBatch(0, 1, 1_000, 0, template.header().batchDigest(),
                        template.transactions().stream().map(Transaction::toRequest).toList(), template.certificate()))
                .block();
        when(queries.transaction(LOG_ONLY.txId())).thenReturn(Optional.of(ApiFixtures.record(LOG_ONLY, real, 1)));
        when(queries.blockByHeight(1)).thenReturn(Optional.of(real));

        String body = perform(mvc, get("/api/v1/transactions/" + LOG_ONLY.txId().hex() + "/proof"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.transaction.txId").value(LOG_ONLY.txId().hex()))
                .andExpect(jsonPath("$.index").value(1))
                .andExpect(jsonPath("$.transactionCount").value(3))
                .andExpect(jsonPath("$.block.hash").value(real.hash().hex()))
                .andExpect(jsonPath("$.block.certificate.length()").value(real.certificate().size()))
                .andReturn().getResponse().getContentAsString();
        tools.jackson.databind.JsonNode proof = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        List<byte[]> path = new java.util.ArrayList<>();
        for (tools.jackson.databind.JsonNode sibling : proof.get("merklePath")) {
            path.add(java.util.HexFormat.of().parseHex(sibling.asString()));
        }
        byte[] root = io.pbftledger.crypto.MerkleTree.rootFromPath(LOG_ONLY.txId().bytes(), 1, 3, path);
        org.assertj.core.api.Assertions.assertThat(java.util.HexFormat.of().formatHex(root))
                .isEqualTo(real.header().transactionsRoot().hex())
                .isEqualTo(proof.get("block").get("transactionsRoot").asString());
    }

    @Test
    void aProofOfAnUncommittedTransactionIs404() throws Exception {
        when(queries.transaction(TX.txId())).thenReturn(Optional.empty());
        perform(mvc, get("/api/v1/transactions/" + TX.txId().hex() + "/proof"))
                .andExpect(problem(404, "no committed transaction with txId " + TX.txId().hex()));
    }

    @Test
    void aTransactionLookupAcceptsUppercaseHex() throws Exception {
        when(queries.transaction(TX.txId())).thenReturn(Optional.of(ApiFixtures.record(TX, BLOCK, 0)));
        perform(mvc, get("/api/v1/transactions/" + TX.txId().hex().toUpperCase()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.txId").value(TX.txId().hex()));
    }

    @Test
    void anUnknownTransactionIs404() throws Exception {
        String id = ApiFixtures.digest(9).hex();
        when(queries.transaction(ApiFixtures.digest(9))).thenReturn(Optional.empty());
        perform(mvc, get("/api/v1/transactions/" + id))
                .andExpect(problem(404, "no transaction with txId " + id + " is committed or pending at this replica"))
                .andExpect(jsonPath("$.instance").value("/api/v1/transactions/" + id));
    }

    @Test
    void aTransactionPendingAtThisReplicaIsShownAsPendingWithoutALocation() throws Exception {
        when(queries.transaction(TX.txId())).thenReturn(Optional.empty());
        when(ledger.pendingTransaction(TX.txId())).thenReturn(Optional.of(TX));
        perform(mvc, get("/api/v1/transactions/" + TX.txId().hex()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.clientId").value(TX.clientId()))
                .andExpect(jsonPath("$.blockHeight").doesNotExist());
    }

    @Test
    void aTxIdThatIsNotSixtyFourHexCharactersIs400() throws Exception {
        perform(mvc, get("/api/v1/transactions/abc123"))
                .andExpect(problem(400, "txId must be 64 hexadecimal characters, got 'abc123'"));
        perform(mvc, get("/api/v1/transactions/" + "g".repeat(64)))
                .andExpect(problem(400, "txId must be 64 hexadecimal characters, got '" + "g".repeat(64) + "'"));
    }

    @Test
    void aBlockByHeightCarriesItsHeaderAndCertificate() throws Exception {
        when(queries.blockByHeight(12)).thenReturn(Optional.of(BLOCK));
        BlockHeader h = BLOCK.header();

        perform(mvc, get("/api/v1/blocks/12"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.height").value(12))
                .andExpect(jsonPath("$.hash").value(BLOCK.hash().hex()))
                .andExpect(jsonPath("$.previousHash").value(h.previousHash().hex()))
                .andExpect(jsonPath("$.timestamp").value(h.timestamp()))
                .andExpect(jsonPath("$.view").value(0))
                .andExpect(jsonPath("$.sequence").value(12))
                .andExpect(jsonPath("$.primary").value(0))
                .andExpect(jsonPath("$.batchDigest").value(h.batchDigest().hex()))
                .andExpect(jsonPath("$.transactionsRoot").value(h.transactionsRoot().hex()))
                .andExpect(jsonPath("$.stateHash").value(h.stateHash().hex()))
                .andExpect(jsonPath("$.transactionCount").value(2))
                .andExpect(jsonPath("$.certificate.length()").value(3))
                .andExpect(jsonPath("$.certificate[1].replica").value(1))
                .andExpect(jsonPath("$.certificate[1].signature")
                        .value(Base64.getEncoder().encodeToString(BLOCK.certificate().get(1).signature())));
    }

    @Test
    void theLatestBlockIsTheHighestStoredOne() throws Exception {
        when(queries.headersBefore(Long.MAX_VALUE, 1)).thenReturn(List.of(BLOCK.header()));
        when(queries.blockByHeight(12)).thenReturn(Optional.of(BLOCK));
        perform(mvc, get("/api/v1/blocks/latest"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.height").value(12))
                .andExpect(jsonPath("$.certificate.length()").value(3));
    }

    @Test
    void anEmptyStoreHasNoLatestBlockYet() throws Exception {
        when(queries.headersBefore(Long.MAX_VALUE, 1)).thenReturn(List.of());
        perform(mvc, get("/api/v1/blocks/latest")).andExpect(problem(ProblemType.UNAVAILABLE, "the chain holds no block yet"));
    }

    @Test
    void aBlockByHashIsFound() throws Exception {
        when(queries.blockByHash(BLOCK.hash())).thenReturn(Optional.of(BLOCK));
        perform(mvc, get("/api/v1/blocks/hash/" + BLOCK.hash().hex()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.height").value(12));
    }

    @Test
    void unknownBlocksAre404() throws Exception {
        when(queries.blockByHeight(anyLong())).thenReturn(Optional.empty());
        when(queries.blockByHash(ApiFixtures.digest(1))).thenReturn(Optional.empty());
        perform(mvc, get("/api/v1/blocks/99")).andExpect(problem(404, "no block at height 99"));
        perform(mvc, get("/api/v1/blocks/hash/" + ApiFixtures.digest(1).hex()))
                .andExpect(problem(404, "no block with hash " + ApiFixtures.digest(1).hex()));
        perform(mvc, get("/api/v1/blocks/99/transactions")).andExpect(problem(404, "no block at height 99"));
    }

    @Test
    void badBlockAddressesAre400() throws Exception {
        perform(mvc, get("/api/v1/blocks/-1")).andExpect(problem(400, "height must be 0 or more, got -1"));
        perform(mvc, get("/api/v1/blocks/twelve"))
                .andExpect(problem(400, "path variable 'height' must be an integer, got 'twelve'"));
        perform(mvc, get("/api/v1/blocks/hash/xyz"))
                .andExpect(problem(400, "hash must be 64 hexadecimal characters, got 'xyz'"));
    }

    @Test
    void aBlocksTransactionsAreListedInOrder() throws Exception {
        when(queries.blockByHeight(12)).thenReturn(Optional.of(BLOCK));
        when(queries.blockTransactions(12)).thenReturn(List.of(ApiFixtures.record(TX, BLOCK, 0),
                ApiFixtures.record(LOG_ONLY, BLOCK, 1)));

        perform(mvc, get("/api/v1/blocks/12/transactions"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.height").value(12))
                .andExpect(jsonPath("$.blockHash").value(BLOCK.hash().hex()))
                .andExpect(jsonPath("$.transactions.length()").value(2))
                .andExpect(jsonPath("$.transactions[0].txId").value(TX.txId().hex()))
                .andExpect(jsonPath("$.transactions[0].outcome").value("EXECUTED"))
                .andExpect(jsonPath("$.transactions[1].index").value(1))
                .andExpect(jsonPath("$.transactions[1].key").isEmpty())
                .andExpect(jsonPath("$.transactions[1].payload[1]").value(2));
    }

    @Test
    void theBlockListPagesBackwardsFromTheNewestBlock() throws Exception {
        when(queries.headersBefore(Long.MAX_VALUE, 2))
                .thenReturn(List.of(ApiFixtures.header(12, 1), ApiFixtures.header(11, 0)));

        perform(mvc, get("/api/v1/blocks").param("limit", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.blocks.length()").value(2))
                .andExpect(jsonPath("$.blocks[0].height").value(12))
                .andExpect(jsonPath("$.blocks[0].hash").value(ApiFixtures.header(12, 1).hash().hex()))
                .andExpect(jsonPath("$.blocks[0].certificate").doesNotExist())
                .andExpect(jsonPath("$.blocks[1].height").value(11))
                .andExpect(jsonPath("$.next").value(11));
    }

    @Test
    void theBlockListEndsWithANullNextAtGenesis() throws Exception {
        when(queries.headersBefore(2, 20)).thenReturn(List.of(ApiFixtures.header(1, 0), ApiFixtures.header(0, 0)));

        perform(mvc, get("/api/v1/blocks").param("before", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.blocks.length()").value(2))
                .andExpect(jsonPath("$.next").isEmpty())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("\"next\":null")));
    }

    @Test
    void theBlockListRejectsLimitsOutsideOneToAHundredAndNegativeBefore() throws Exception {
        perform(mvc, get("/api/v1/blocks").param("limit", "0")).andExpect(problem(400, "limit must be between 1 and 100, got 0"));
        perform(mvc, get("/api/v1/blocks").param("limit", "101")).andExpect(problem(400, "limit must be between 1 and 100, got 101"));
        perform(mvc, get("/api/v1/blocks").param("before", "-5")).andExpect(problem(400, "before must be 0 or more, got -5"));
        perform(mvc, get("/api/v1/blocks").param("limit", "ten"))
                .andExpect(problem(400, "query parameter 'limit' must be an integer, got 'ten'"));
        verify(queries, never()).headersBefore(anyLong(), anyInt());
    }

    @Test
    void aStateValueIsTheJsonValueItselfNotAString() throws Exception {
        when(queries.state("greeting")).thenReturn(Optional.of(
                new StateEntry("greeting", "{\"n\":3,\"text\":\"hello\"}", 12, TX.txId())));
        when(queries.headersBefore(Long.MAX_VALUE, 1)).thenReturn(List.of(BLOCK.header()));

        perform(mvc, get("/api/v1/state/greeting"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.key").value("greeting"))
                .andExpect(jsonPath("$.value.text").value("hello"))
                .andExpect(jsonPath("$.value.n").value(3))
                .andExpect(jsonPath("$.blockHeight").value(12))
                .andExpect(jsonPath("$.txId").value(TX.txId().hex()));
    }

    @Test
    void aStateKeysHistoryIsListedNewestFirst() throws Exception {
        when(queries.stateHistory("counter", 2)).thenReturn(List.of(
                new StateEntry("counter", "2", 12, ApiFixtures.digest(2)),
                new StateEntry("counter", "1", 7, ApiFixtures.digest(1))));

        perform(mvc, get("/api/v1/state/counter/history").param("limit", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.key").value("counter"))
                .andExpect(jsonPath("$.history.length()").value(2))
                .andExpect(jsonPath("$.history[0].value").value(2))
                .andExpect(jsonPath("$.history[0].blockHeight").value(12))
                .andExpect(jsonPath("$.history[1].value").value(1))
                .andExpect(jsonPath("$.history[1].txId").value(ApiFixtures.digest(1).hex()));
    }

    @Test
    void unknownAndInvalidStateKeysAreRefused() throws Exception {
        when(queries.state("missing")).thenReturn(Optional.empty());
        when(queries.stateHistory("missing", 20)).thenReturn(List.of());
        perform(mvc, get("/api/v1/state/missing")).andExpect(problem(404, "no value for key 'missing'"));
        perform(mvc, get("/api/v1/state/missing/history")).andExpect(problem(404, "no value for key 'missing'"));
        perform(mvc, get("/api/v1/state/bad key")).andExpect(problem(400, "key must match [A-Za-z0-9._:-]{1,256}"));
        perform(mvc, get("/api/v1/state/counter/history").param("limit", "500"))
                .andExpect(problem(400, "limit must be between 1 and 100, got 500"));
    }

    @Test
    void theConsensusStateShowsEveryField() throws Exception {
        when(ledger.consensus()).thenReturn(new ConsensusInfo(0, 4, 1, 2, 2, "NORMAL", 40, 39, 0, 200, 5,
                List.of(new ConsensusInfo.PeerInfo(1, "http://127.0.0.1:8081", true, "HTTP/2"),
                        new ConsensusInfo.PeerInfo(3, "http://127.0.0.1:8083", false)),
                java.util.Map.of("bad_signature", 2L), 100, 3, List.of(1, 3)));

        perform(mvc, get("/api/v1/consensus"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.replicaId").value(0))
                .andExpect(jsonPath("$.n").value(4))
                .andExpect(jsonPath("$.f").value(1))
                .andExpect(jsonPath("$.view").value(2))
                .andExpect(jsonPath("$.primary").value(2))
                .andExpect(jsonPath("$.status").value("NORMAL"))
                .andExpect(jsonPath("$.lastExecutedSequence").value(40))
                .andExpect(jsonPath("$.height").value(39))
                .andExpect(jsonPath("$.lowWatermark").value(0))
                .andExpect(jsonPath("$.highWatermark").value(200))
                .andExpect(jsonPath("$.pendingTransactions").value(5))
                .andExpect(jsonPath("$.peers.length()").value(2))
                .andExpect(jsonPath("$.peers[1].id").value(3))
                .andExpect(jsonPath("$.peers[1].url").value("http://127.0.0.1:8083"))
                .andExpect(jsonPath("$.peers[1].reachable").value(false))
                .andExpect(jsonPath("$.peers[0].protocol").value("HTTP/2"))
                .andExpect(jsonPath("$.peers[1].protocol").value(org.hamcrest.Matchers.nullValue()))
                .andExpect(jsonPath("$.droppedMessages.bad_signature").value(2))
                .andExpect(jsonPath("$.stableCheckpoint").value(100))
                .andExpect(jsonPath("$.viewChangeTarget").value(3))
                .andExpect(jsonPath("$.missingForQuorum[1]").value(3));
    }

    @Test
    void aValidChainVerifiesWithoutFailureFields() throws Exception {
        asAdmin();
        when(ledger.verifyChain()).thenReturn(new ChainCheck(true, 39, 40, null, null));
        perform(mvc, get("/api/v1/chain/verify"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(true))
                .andExpect(jsonPath("$.height").value(39))
                .andExpect(jsonPath("$.checkedBlocks").value(40))
                .andExpect(jsonPath("$.firstBadHeight").doesNotExist())
                .andExpect(jsonPath("$.problem").doesNotExist());
    }

    @Test
    void anInvalidChainNamesTheFirstBadHeightAndTheProblem() throws Exception {
        asAdmin();
        when(ledger.verifyChain()).thenReturn(new ChainCheck(false, 39, 18, 17L, "block 17 does not link to block 16"));
        perform(mvc, get("/api/v1/chain/verify"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(false))
                .andExpect(jsonPath("$.firstBadHeight").value(17))
                .andExpect(jsonPath("$.problem").value("block 17 does not link to block 16"));
    }
}
