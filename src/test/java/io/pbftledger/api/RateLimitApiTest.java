package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.RateLimitedException;
import io.pbftledger.web.ProblemType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** A rate-limited client gets 429 problem+json with the bucket's Retry-After. */
@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
class RateLimitApiTest {
    private static final Transaction TX = ApiFixtures.tx(21);
    private static final String DETAIL = "client 'client-0' is over its rate limit of 5 transactions per second"
            + " (burst 5); retry in 7 s";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    @Test
    void aClientOverItsRateGets429WithTheSecondsItsBucketNeeds() throws Exception {
        when(ledger.submit(any())).thenThrow(new RateLimitedException(DETAIL, 7));
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.RATE_LIMITED, DETAIL))
                .andExpect(header().string("Retry-After", "7"));
    }

    @Test
    void anOverloadedReplicaSaysOneSecond() throws Exception {
        when(ledger.submit(any())).thenThrow(new LedgerException(ErrorKind.OVERLOADED, "the consensus queue is full"));
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.OVERLOADED, "the consensus queue is full"))
                .andExpect(header().string("Retry-After", "1"));
    }

    @Test
    void aReplicaAtItsMempoolBoundAnswers429WithRetryAfterAndADetailNamingTheSetting() throws Exception {
        io.pbftledger.node.PendingTransactions full = new io.pbftledger.node.PendingTransactions(1);
        Transaction first = ApiFixtures.tx(23);
        full.admit(first, first.txId());
        when(ledger.submit(any())).thenAnswer(call -> {
            Transaction t = call.getArgument(0);
            full.admit(t, t.txId());
            return io.pbftledger.node.SubmitResult.pending(t.txId());
        });
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.MEMPOOL_FULL, "this replica holds its maximum of 1 accepted, not yet executed transactions"
                        + " (ledger.mempool.max-transactions); retry in 1 s, or at another replica"))
                .andExpect(header().string("Retry-After", "1"));
    }

    @Test
    void aRateLimitedBatchItemIsRefusedAloneWithA429Problem() throws Exception {
        Transaction other = ApiFixtures.tx(22);
        when(ledger.submit(any())).thenAnswer(call -> {
            Transaction t = call.getArgument(0);
            if (t.equals(other)) {
                throw new RateLimitedException(DETAIL, 7);
            }
            return io.pbftledger.node.SubmitResult.pending(t.txId());
        });
        String body = "[" + ApiFixtures.json(TX) + "," + ApiFixtures.json(other) + "]";
        perform(mvc, post("/api/v1/transactions/batch").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].status").value("ACCEPTED"))
                .andExpect(jsonPath("$[1].status").value("REJECTED"))
                .andExpect(jsonPath("$[1].problem.status").value(429))
                .andExpect(jsonPath("$[1].problem.type").value(ProblemType.RATE_LIMITED.uri()))
                .andExpect(jsonPath("$[1].problem.detail").value(DETAIL));
    }
}
