package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.UnknownClientException;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.RateLimitedException;
import io.pbftledger.node.SubmitResult;
import io.pbftledger.web.ProblemType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
class TransactionSubmitApiTest {
    private static final Transaction TX = ApiFixtures.tx(7);

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    private static MockHttpServletRequestBuilder submit(String body) {
        return post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private static String withField(String field, String rawValue) {
        return ApiFixtures.json(TX).replaceFirst("\"" + field + "\":(\"[^\"]*\"|-?[0-9]+)", "\"" + field + "\":" + rawValue);
    }

    @Test
    void aNewTransactionIsAcceptedAsPendingWith202() throws Exception {
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(TX.txId()));

        perform(mvc, submit(ApiFixtures.json(TX)))
                .andExpect(status().isAccepted())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.txId").value(TX.txId().hex()))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.blockHeight").doesNotExist());
    }

    @Test
    void theServiceReceivesTheSignedTransactionWithItsPayloadCanonicalized() throws Exception {
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(TX.txId()));

        perform(mvc, submit(ApiFixtures.json(TX))).andExpect(status().isAccepted());

        ArgumentCaptor<Transaction> submitted = ArgumentCaptor.forClass(Transaction.class);
        verify(ledger).submit(submitted.capture());
        assertThat(submitted.getValue()).isEqualTo(TX);
        assertThat(submitted.getValue().verify(ApiFixtures.CLIENT_0_KEY.publicKey())).isTrue();
    }

    @Test
    void aPayloadMayBeAnyJsonValueAndIsSignedInCanonicalForm() throws Exception {
        when(ledger.submit(any())).thenAnswer(call -> SubmitResult.pending(call.<Transaction>getArgument(0).txId()));
        Transaction scalar = Transaction.sign(ApiFixtures.CHAIN_ID, "client-0", 8, null, "\"just text\"",
                ApiFixtures.CLIENT_0_KEY);
        Transaction numbers = Transaction.sign(ApiFixtures.CHAIN_ID, "client-0", 9, null, "{\"a\":1,\"b\":0.5}",
                ApiFixtures.CLIENT_0_KEY);
        // The same numbers written differently: canonicalization must give back exactly what was signed.
        String numbersJson = ApiFixtures.json(numbers).replace("{\"a\":1 , \"b\":0.5}", "{ \"b\" : 5e-1, \"a\" : 1.0 }");
        assertThat(numbersJson).contains("5e-1");

        perform(mvc, submit(ApiFixtures.json(scalar))).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.txId").value(scalar.txId().hex()));
        perform(mvc, submit(numbersJson)).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.txId").value(numbers.txId().hex()));

        ArgumentCaptor<Transaction> submitted = ArgumentCaptor.forClass(Transaction.class);
        verify(ledger, org.mockito.Mockito.times(2)).submit(submitted.capture());
        assertThat(submitted.getAllValues()).containsExactly(scalar, numbers);
    }

    @Test
    void anAlreadyCommittedResubmissionAnswers200WithItsLocationAtOnce() throws Exception {
        Block block = ApiFixtures.block(5, List.of(TX));
        when(ledger.submit(any())).thenReturn(SubmitResult.committed(ApiFixtures.record(TX, block, 0)));

        perform(mvc, submit(ApiFixtures.json(TX)).param("wait", "true"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("COMMITTED"))
                .andExpect(jsonPath("$.blockHeight").value(5))
                .andExpect(jsonPath("$.blockHash").value(block.hash().hex()))
                .andExpect(jsonPath("$.index").value(0));
        verify(ledger, never()).whenCommitted(any());
    }

    @Test
    void waitTrueHoldsTheAnswerUntilTheTransactionCommits() throws Exception {
        Block block = ApiFixtures.block(9, List.of(ApiFixtures.tx(1), TX));
        CompletableFuture<SubmitResult> commit = new CompletableFuture<>();
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(TX.txId()));
        when(ledger.whenCommitted(TX.txId())).thenReturn(commit);

        MvcResult started = mvc.perform(submit(ApiFixtures.json(TX)).param("wait", "true").param("waitMs", "60000"))
                .andExpect(request().asyncStarted()).andReturn();
        assertThatThrownBy(() -> started.getAsyncResult(50)).isInstanceOf(IllegalStateException.class);

        commit.complete(SubmitResult.committed(ApiFixtures.record(TX, block, 1)));

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.txId").value(TX.txId().hex()))
                .andExpect(jsonPath("$.status").value("COMMITTED"))
                .andExpect(jsonPath("$.blockHeight").value(9))
                .andExpect(jsonPath("$.blockHash").value(block.hash().hex()))
                .andExpect(jsonPath("$.index").value(1));
    }

    @Test
    void waitTrueAnswersPendingWhenWaitMsPassesWithoutCompletingTheServicesFuture() throws Exception {
        CompletableFuture<SubmitResult> never = new CompletableFuture<>();
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(TX.txId()));
        when(ledger.whenCommitted(TX.txId())).thenReturn(never);

        long start = System.nanoTime();
        perform(mvc, submit(ApiFixtures.json(TX)).param("wait", "true").param("waitMs", "100"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.txId").value(TX.txId().hex()));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(elapsedMs).isGreaterThanOrEqualTo(100).isLessThan(5_000);
        assertThat(never).isNotDone();
    }

    @Test
    void waitTrueReportsAFailureOfTheCommitWaitAsAProblem() throws Exception {
        when(ledger.submit(any())).thenReturn(SubmitResult.pending(TX.txId()));
        when(ledger.whenCommitted(TX.txId())).thenReturn(CompletableFuture.failedFuture(
                new LedgerException(ErrorKind.UNAVAILABLE, "the replica is shutting down")));

        perform(mvc, submit(ApiFixtures.json(TX)).param("wait", "true"))
                .andExpect(problem(ProblemType.UNAVAILABLE, "the replica is shutting down"))
                .andExpect(header().string("Retry-After", "1"));
    }

    @Test
    void waitMsOutsideOneToSixtyThousandIsRejected() throws Exception {
        perform(mvc, submit(ApiFixtures.json(TX)).param("wait", "true").param("waitMs", "0"))
                .andExpect(problem(400, "waitMs must be between 1 and 60000, got 0"));
        perform(mvc, submit(ApiFixtures.json(TX)).param("wait", "true").param("waitMs", "60001"))
                .andExpect(problem(400, "waitMs must be between 1 and 60000, got 60001"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void aNonBooleanWaitIsATypeMismatch() throws Exception {
        perform(mvc, submit(ApiFixtures.json(TX)).param("wait", "soon"))
                .andExpect(problem(400, "query parameter 'wait' must be true or false, got 'soon'"));
    }

    @Test
    void malformedJsonIsRejectedWithItsPosition() throws Exception {
        perform(mvc, submit("{\"chainId\": \"x\",}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("malformed JSON at line 1, column ")));
    }

    @Test
    void aTruncatedBodyIsReportedInOneCleanLine() throws Exception {
        perform(mvc, submit("{\"chainId\":\"x\""))
                .andExpect(problem(400,
                        "malformed JSON at line 1, column 15: Unexpected end-of-input: expected close marker for Object"));
    }

    @Test
    void unknownFieldsAreRejected() throws Exception {
        String body = ApiFixtures.json(TX).replaceFirst("\\{", "{\"amount\":5,");
        perform(mvc, submit(body)).andExpect(problem(400, "unknown field 'amount'"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void duplicateKeysAreRejectedBecauseSignedContentMustBeUnambiguous() throws Exception {
        String body = ApiFixtures.json(TX).replaceFirst("\\{", "{\"clientId\":\"client-9\",");
        perform(mvc, submit(body))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("Duplicate Object property \"clientId\"")));
    }

    @Test
    void trailingContentAfterTheObjectIsRejected() throws Exception {
        perform(mvc, submit(ApiFixtures.json(TX) + " {}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.startsWith("malformed JSON at line 1"),
                        org.hamcrest.Matchers.endsWith(": content after the end of the JSON value"))));
    }

    @Test
    void aBodyThatIsNotAnObjectIsRejected() throws Exception {
        perform(mvc, submit("[1,2]")).andExpect(problem(400, "request body must be a JSON object"));
    }

    @Test
    void aNonceGivenAsAStringIsAWrongType() throws Exception {
        perform(mvc, submit(withField("nonce", "\"7\""))).andExpect(problem(400, "field 'nonce' must be an integer"));
    }

    @Test
    void aFractionalNonceIsAWrongType() throws Exception {
        perform(mvc, submit(withField("nonce", "7.5"))).andExpect(problem(400, "field 'nonce' must be an integer"));
    }

    @Test
    void aClientIdGivenAsANumberIsAWrongType() throws Exception {
        perform(mvc, submit(withField("clientId", "12"))).andExpect(problem(400, "field 'clientId' must be a string"));
    }

    @Test
    void aNegativeNonceIsOutOfRange() throws Exception {
        perform(mvc, submit(withField("nonce", "-1")))
                .andExpect(problem(400, "nonce must be between 0 and 2^53-1, got -1"));
    }

    @Test
    void aNonceAboveTwoToThe53MinusOneIsOutOfRange() throws Exception {
        perform(mvc, submit(withField("nonce", "9007199254740992")))
                .andExpect(problem(400, "nonce must be between 0 and 2^53-1, got 9007199254740992"));
    }

    @Test
    void aNonceBeyondSixtyFourBitsIsRejectedAsInvalid() throws Exception {
        perform(mvc, submit(withField("nonce", "18446744073709551616")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("field 'nonce' ")));
    }

    @Test
    void aMissingNonceIsRequired() throws Exception {
        perform(mvc, submit(ApiFixtures.json(TX).replaceFirst("\"nonce\":7,", "")))
                .andExpect(problem(400, "nonce is required"));
    }

    @Test
    void aMissingPayloadIsRequired() throws Exception {
        String body = "{\"chainId\":\"" + TX.chainId() + "\",\"clientId\":\"client-0\",\"nonce\":7,\"signature\":\""
                + TX.signatureBase64() + "\"}";
        perform(mvc, submit(body)).andExpect(problem(400, "payload is required"));
    }

    @Test
    void aSignatureThatIsNotBase64IsRejected() throws Exception {
        perform(mvc, submit(withField("signature", "\"not*base64\"")))
                .andExpect(problem(400, "signature is not valid base64"));
    }

    @Test
    void aSignatureOfTheWrongLengthIsRejected() throws Exception {
        perform(mvc, submit(withField("signature", "\"AAAA\"")))
                .andExpect(problem(400, "signature must be 64 bytes of base64"));
    }

    @Test
    void aKeyOutsideTheAllowedAlphabetIsRejected() throws Exception {
        perform(mvc, submit(withField("key", "\"a b\"")))
                .andExpect(problem(400, "key must match [A-Za-z0-9._:-]{1,256}"));
    }

    @Test
    void aPayloadOverSixtyFourKibibytesInCanonicalFormIs413() throws Exception {
        // {"x":"yyy..."}: the string plus 8 bytes of structure.
        String big = "{\"x\":\"" + "y".repeat(Transaction.PAYLOAD_MAX_BYTES) + "\"}";
        String body = ApiFixtures.json(TX).replaceFirst("\"payload\":\\{[^}]*\\}", "\"payload\":" + big);
        perform(mvc, submit(body)).andExpect(problem(413,
                "payload is " + (Transaction.PAYLOAD_MAX_BYTES + 8) + " bytes in canonical form; the limit is "
                        + Transaction.PAYLOAD_MAX_BYTES));
    }

    @Test
    void aBadSignatureFromTheServiceIs401() throws Exception {
        when(ledger.submit(any())).thenThrow(new LedgerException(ErrorKind.BAD_SIGNATURE,
                "signature does not verify with the public key of client 'client-0'"));
        perform(mvc, submit(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.INVALID_SIGNATURE,
                        "signature does not verify with the public key of client 'client-0'"));
    }

    @Test
    void anUnknownClientIs403UnknownClient() throws Exception {
        when(ledger.submit(any())).thenThrow(UnknownClientException.notAMember("client-0"));
        perform(mvc, submit(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.UNKNOWN_CLIENT, "client 'client-0' is not a member of this ledger"));
    }

    @Test
    void aMemberWithoutTheRoleIs403Forbidden() throws Exception {
        when(ledger.submit(any())).thenThrow(new LedgerException(ErrorKind.FORBIDDEN,
                "client 'client-0' lacks the submit role"));
        perform(mvc, submit(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.FORBIDDEN, "client 'client-0' lacks the submit role"));
    }

    @Test
    void theSameNonceWithDifferentContentIs409() throws Exception {
        when(ledger.submit(any())).thenThrow(new LedgerException(ErrorKind.CONFLICT,
                "nonce 7 of client 'client-0' was already used for a different transaction"));
        perform(mvc, submit(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.NONCE_REUSED,
                        "nonce 7 of client 'client-0' was already used for a different transaction"));
    }

    @Test
    void aFullMempoolIs429MempoolFullWithRetryAfter() throws Exception {
        when(ledger.submit(any())).thenThrow(new RateLimitedException(RateLimitedException.Scope.MEMPOOL,
                "the mempool is full", 1));
        perform(mvc, submit(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.MEMPOOL_FULL, "the mempool is full"))
                .andExpect(header().string("Retry-After", "1"));
    }

    @Test
    void aWrongChainIdFromTheServiceIs400() throws Exception {
        when(ledger.submit(any())).thenThrow(LedgerException.invalid("chainId 'other' is not this ledger's"));
        perform(mvc, submit(ApiFixtures.json(TX))).andExpect(problem(400, "chainId 'other' is not this ledger's"));
    }

    @Test
    void anUnexpectedFailureIs500WithoutAStackTrace() throws Exception {
        when(ledger.submit(any())).thenThrow(new IllegalStateException("secret internal state"));
        perform(mvc, submit(ApiFixtures.json(TX)))
                .andExpect(problem(ProblemType.INTERNAL_ERROR, "internal error; the replica's log has the details"))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("secret"))));
    }

    @Test
    void aBodyOverTheDefaultOneMebibyteLimitIs413BeforeParsing() throws Exception {
        byte[] body = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(problem(413, "request body of 1048577 bytes exceeds the limit of 1048576 bytes "
                        + "(ledger.api.request-body-max-bytes)"));
        verify(ledger, never()).submit(any());
    }

    @Test
    void aMissingBodyIsRejected() throws Exception {
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.APPLICATION_JSON))
                .andExpect(problem(400, "a request body is required"));
    }

    @Test
    void aNonJsonContentTypeIs415() throws Exception {
        perform(mvc, post("/api/v1/transactions").contentType(MediaType.TEXT_PLAIN).content(ApiFixtures.json(TX)))
                .andExpect(problem(415, "content type 'text/plain' is not supported; use application/json"));
    }
}
