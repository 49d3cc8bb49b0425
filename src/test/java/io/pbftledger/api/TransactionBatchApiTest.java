package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.RateLimitedException;
import io.pbftledger.node.SubmitResult;
import io.pbftledger.web.ProblemType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
class TransactionBatchApiTest {
    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    private static MockHttpServletRequestBuilder batch(String body) {
        return post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private static String array(List<String> items) {
        return "[" + String.join(",", items) + "]";
    }

    @Test
    void eachItemSucceedsOrFailsOnItsOwnInRequestOrder() throws Exception {
        Transaction fresh = ApiFixtures.tx(1);
        Transaction committed = ApiFixtures.tx(2);
        Transaction badSignature = ApiFixtures.tx(3);
        Transaction afterFailures = ApiFixtures.tx(4);
        Block block = ApiFixtures.block(3, List.of(committed));
        when(ledger.submit(fresh)).thenReturn(SubmitResult.pending(fresh.txId()));
        when(ledger.submit(committed)).thenReturn(SubmitResult.committed(ApiFixtures.record(committed, block, 0)));
        when(ledger.submit(badSignature)).thenThrow(new LedgerException(ErrorKind.BAD_SIGNATURE,
                "signature does not verify with the public key of client 'client-0'"));
        when(ledger.submit(afterFailures)).thenReturn(SubmitResult.pending(afterFailures.txId()));

        String body = array(List.of(
                ApiFixtures.json(fresh),
                ApiFixtures.json(committed),
                ApiFixtures.json(badSignature),
                "{\"chainId\":\"x\",\"surprise\":true}",
                ApiFixtures.json(fresh),
                "42",
                ApiFixtures.json(afterFailures)));

        perform(mvc, batch(body))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(7))
                .andExpect(jsonPath("$[0].index").value(0))
                .andExpect(jsonPath("$[0].status").value("ACCEPTED"))
                .andExpect(jsonPath("$[0].txId").value(fresh.txId().hex()))
                .andExpect(jsonPath("$[0].problem").doesNotExist())
                .andExpect(jsonPath("$[1].status").value("DUPLICATE"))
                .andExpect(jsonPath("$[1].txId").value(committed.txId().hex()))
                .andExpect(jsonPath("$[2].status").value("REJECTED"))
                .andExpect(jsonPath("$[2].txId").value(badSignature.txId().hex()))
                .andExpect(jsonPath("$[2].problem.status").value(401))
                .andExpect(jsonPath("$[2].problem.title").value("Unauthorized"))
                .andExpect(jsonPath("$[2].problem.type").value(ProblemType.INVALID_SIGNATURE.uri()))
                .andExpect(jsonPath("$[2].problem.detail").value("signature does not verify with the public key of client 'client-0'"))
                .andExpect(jsonPath("$[3].status").value("REJECTED"))
                .andExpect(jsonPath("$[3].txId").doesNotExist())
                .andExpect(jsonPath("$[3].problem.status").value(400))
                .andExpect(jsonPath("$[3].problem.type").value(ProblemType.INVALID_REQUEST.uri()))
                .andExpect(jsonPath("$[3].problem.detail").value("unknown field 'surprise'"))
                .andExpect(jsonPath("$[4].index").value(4))
                .andExpect(jsonPath("$[4].status").value("DUPLICATE"))
                .andExpect(jsonPath("$[4].txId").value(fresh.txId().hex()))
                .andExpect(jsonPath("$[5].status").value("REJECTED"))
                .andExpect(jsonPath("$[5].problem.detail").value("request body must be a JSON object"))
                .andExpect(jsonPath("$[6].index").value(6))
                .andExpect(jsonPath("$[6].status").value("ACCEPTED"));
        // The repeat inside the batch never reaches the service a second time.
        verify(ledger, times(1)).submit(fresh);
    }

    @Test
    void aConflictingNonceAndAFullMempoolAreReportedPerItem() throws Exception {
        Transaction first = ApiFixtures.tx(10);
        Transaction second = ApiFixtures.tx(11);
        when(ledger.submit(first)).thenThrow(new LedgerException(ErrorKind.CONFLICT, "nonce 10 was already used"));
        when(ledger.submit(second)).thenThrow(new RateLimitedException(RateLimitedException.Scope.MEMPOOL,
                "the mempool is full", 1));

        perform(mvc, batch(array(List.of(ApiFixtures.json(first), ApiFixtures.json(second)))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].problem.status").value(409))
                .andExpect(jsonPath("$[0].problem.title").value("Conflict"))
                .andExpect(jsonPath("$[0].problem.type").value(ProblemType.NONCE_REUSED.uri()))
                .andExpect(jsonPath("$[1].problem.status").value(429))
                .andExpect(jsonPath("$[1].problem.detail").value("the mempool is full"))
                .andExpect(jsonPath("$[1].problem.type").value(ProblemType.MEMPOOL_FULL.uri()))
                // Items refused for now carry the same advice a refused single submission does.
                .andExpect(header().string("Retry-After", "1"));
    }

    @Test
    void aBatchWithoutItemsRefusedForNowHasNoRetryAfter() throws Exception {
        Transaction first = ApiFixtures.tx(12);
        when(ledger.submit(first)).thenThrow(new LedgerException(ErrorKind.CONFLICT, "nonce 12 was already used"));

        perform(mvc, batch(array(List.of(ApiFixtures.json(first)))))
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist("Retry-After"));
    }

    @Test
    void theRetryAfterOfABatchIsTheLongestOfItsItems() throws Exception {
        Transaction first = ApiFixtures.tx(13);
        Transaction second = ApiFixtures.tx(14);
        when(ledger.submit(first)).thenThrow(new RateLimitedException("client over its rate", 3));
        when(ledger.submit(second)).thenThrow(new RateLimitedException(RateLimitedException.Scope.MEMPOOL,
                "the mempool is full", 1));

        perform(mvc, batch(array(List.of(ApiFixtures.json(first), ApiFixtures.json(second)))))
                .andExpect(status().isOk())
                .andExpect(header().string("Retry-After", "3"));
    }

    @Test
    void anUnexpectedFailureOfOneItemDoesNotHideTheOthersResults() throws Exception {
        Transaction broken = ApiFixtures.tx(20);
        Transaction fine = ApiFixtures.tx(21);
        when(ledger.submit(broken)).thenThrow(new IllegalStateException("bug"));
        when(ledger.submit(fine)).thenReturn(SubmitResult.pending(fine.txId()));

        perform(mvc, batch(array(List.of(ApiFixtures.json(broken), ApiFixtures.json(fine)))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].status").value("REJECTED"))
                .andExpect(jsonPath("$[0].problem.status").value(500))
                .andExpect(jsonPath("$[0].problem.type").value(ProblemType.INTERNAL_ERROR.uri()))
                .andExpect(jsonPath("$[0].problem.detail").value("internal error; the replica's log has the details"))
                .andExpect(jsonPath("$[1].status").value("ACCEPTED"));
    }

    @Test
    void aThousandItemsAreAllowed() throws Exception {
        when(ledger.submit(any())).thenAnswer(call -> SubmitResult.pending(call.<Transaction>getArgument(0).txId()));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(ApiFixtures.json(ApiFixtures.tx(i)));
        }
        perform(mvc, batch(array(items)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1000))
                .andExpect(jsonPath("$[999].index").value(999))
                .andExpect(jsonPath("$[999].status").value("ACCEPTED"));
    }

    @Test
    void moreThanAThousandItemsAre413AndNothingIsSubmitted() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            items.add("{}");
        }
        perform(mvc, batch(array(items)))
                .andExpect(problem(413, "a batch holds at most 1000 transactions; reading stopped at item 1001"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void aBodyThatIsNotAnArrayIsRejected() throws Exception {
        perform(mvc, batch(ApiFixtures.json(ApiFixtures.tx(1))))
                .andExpect(problem(400, "a batch must be a JSON array of transactions"));
    }

    @Test
    void anEmptyBatchIsRejected() throws Exception {
        perform(mvc, batch("[]")).andExpect(problem(400, "a batch must hold at least one transaction"));
    }

    @Test
    void malformedJsonRejectsTheWholeBatch() throws Exception {
        perform(mvc, batch("[{\"chainId\":"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("malformed JSON at line 1")));
        verify(ledger, never()).submit(argThat(tx -> true));
    }
}
