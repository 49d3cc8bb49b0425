package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestBodyLimitFilterTest {
    private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter(new ApiProperties(10, 20));

    /** A chunked upload: the body is only a stream, with no declared length. */
    private static MockHttpServletRequest chunked(String uri, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri) {
            @Override
            public int getContentLength() {
                return -1;
            }

            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAfterReadingOnlyLimitPlusOneBytes() throws Exception {
        MockHttpServletRequest request = chunked("/api/v1/transactions", "x".repeat(1000));
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains(
                "\"detail\":\"request body exceeds the limit of 10 bytes (ledger.api.request-body-max-bytes)\"",
                "\"status\":413", "\"instance\":\"/api/v1/transactions\"");
        assertThat(chain.getRequest()).isNull();
        assertThat(request.getInputStream().readAllBytes()).hasSize(1000 - 11);
    }

    @Test
    void aChunkedBodyWithinTheLimitReachesTheControllerIntact() throws Exception {
        MockHttpServletRequest request = chunked("/api/v1/transactions", "{\"a\":1}");
        long[] length = {-2};
        String[] read = {null};

        // What the controller sees while it handles the request (the body is let go once it is answered).
        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            HttpServletRequest passed = (HttpServletRequest) req;
            length[0] = passed.getContentLengthLong();
            read[0] = new String(passed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        });

        assertThat(length[0]).isEqualTo(7);
        assertThat(read[0]).isEqualTo("{\"a\":1}");
    }

    @Test
    void aChunkedBodyThatDoesNotFitTheReplicasBudgetIsRefusedWithRetryAfterAndNothingStaysReserved()
            throws Exception {
        InFlightBodies budget = new InFlightBodies(10);
        RequestBodyLimitFilter budgeted = new RequestBodyLimitFilter(new ApiProperties(10, 20), budget);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        budgeted.doFilter(chunked("/api/v1/transactions", "{\"a\":1}"), response, chain);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("(10 bytes, ledger.api.in-flight-body-max-bytes)");
        assertThat(chain.getRequest()).isNull();
        assertThat(budget.heldBytes()).isZero();
        assertThat(budget.refusedRequests()).isEqualTo(1);
    }

    @Test
    void theBatchPathUsesTheBatchLimit() throws Exception {
        MockHttpServletRequest request = chunked("/api/v1/transactions/batch", "y".repeat(20));
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isNotNull();
    }

    @Test
    void requestsOutsideTheApiAndWithoutBodiesAreNotTouched() throws Exception {
        MockHttpServletRequest peer = chunked("/pbft/v1/messages", "z".repeat(1000));
        MockFilterChain peerChain = new MockFilterChain();
        filter.doFilter(peer, new MockHttpServletResponse(), peerChain);
        assertThat(peerChain.getRequest()).isSameAs(peer);

        MockHttpServletRequest get = new MockHttpServletRequest("GET", "/api/v1/blocks");
        MockFilterChain getChain = new MockFilterChain();
        filter.doFilter(get, new MockHttpServletResponse(), getChain);
        assertThat(getChain.getRequest()).isSameAs(get);
    }
}
