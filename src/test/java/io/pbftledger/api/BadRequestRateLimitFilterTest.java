package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class BadRequestRateLimitFilterTest {
    private final BadRequestRateLimitFilter filter = new BadRequestRateLimitFilter(new ApiProperties(1 << 20, 1 << 20,
            32, 65536, 64, 256, 1000, new ApiProperties.RateLimit(1000, 2000, 100, 1, 3, 1000), ReadAccess.OPEN, 300_000));
    private final AtomicInteger handled = new AtomicInteger();

    private MockHttpServletResponse send(String address, String path, int answer) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setRemoteAddr(address);
        request.setContent("{}".getBytes(StandardCharsets.UTF_8));
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            handled.incrementAndGet();
            ((HttpServletResponse) res).setStatus(answer);
        });
        return response;
    }

    @Test
    void anAddressThatKeepsSendingBadRequestsGets429WithRetryAfterAndItsRequestsAreNotHandled() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send("10.0.0.1", "/api/v1/transactions", 401).getStatus()).isEqualTo(401);
        }
        MockHttpServletResponse refused = send("10.0.0.1", "/api/v1/demo/sign", 200);
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(refused.getContentAsString()).contains("\"status\":429")
                .contains("too many refused requests from 10.0.0.1 (more than 1 per second, burst 3); retry in 1 s");
        assertThat(handled).as("the refused request never reached the API").hasValue(3);

        assertThat(send("10.0.0.2", "/api/v1/transactions", 202).getStatus()).as("other addresses are unaffected")
                .isEqualTo(202);
    }

    @Test
    void aSubmissionFromASpentAddressIsStillCheckedAndCarriesTheLimitForItsRefusal() throws Exception {
        for (int i = 0; i < 3; i++) {
            send("10.0.0.4", "/api/v1/transactions", 400);
        }
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/transactions");
        request.setRemoteAddr("10.0.0.4");
        MockHttpServletResponse response = new MockHttpServletResponse();
        Object[] seen = {null};

        filter.doFilter(request, response, (req, res) -> {
            seen[0] = req.getAttribute(BadRequestRateLimitFilter.LIMITED_ATTRIBUTE);
            ((HttpServletResponse) res).setStatus(202);
        });

        assertThat(response.getStatus()).as("a valid signed submission is accepted").isEqualTo(202);
        assertThat(seen[0]).isInstanceOfSatisfying(BadRequestRateLimitFilter.Limited.class, limited -> {
            assertThat(limited.detail()).startsWith("too many refused requests from 10.0.0.4");
            assertThat(limited.retryAfterSeconds()).isPositive();
        });
    }

    @Test
    void behindATrustedProxyTheForwardedClientHasItsOwnBucket() throws Exception {
        BadRequestRateLimitFilter proxied = new BadRequestRateLimitFilter(new ApiProperties(1 << 20, 1 << 20, 32, 65536,
                64, 256, 1000, new ApiProperties.RateLimit(1000, 2000, 100, 1, 3, 1000), ReadAccess.OPEN, 300_000,
                32_768, 65_536, 1 << 26, java.util.List.of("10.9.0.0/16"), ApiProperties.STREAM_HEARTBEAT_DEFAULT_MS));
        for (int i = 0; i < 3; i++) {
            forwarded(proxied, "10.9.0.1", "192.0.2.66", 400);
        }

        assertThat(forwarded(proxied, "10.9.0.1", "192.0.2.66", 200).getStatus()).isEqualTo(429);
        assertThat(forwarded(proxied, "10.9.0.1", "192.0.2.77", 200).getStatus()).isEqualTo(200);
        assertThat(forwarded(proxied, "10.8.0.1", "192.0.2.66", 200).getStatus())
                .as("an untrusted peer's header is not read").isEqualTo(200);
    }

    private MockHttpServletResponse forwarded(BadRequestRateLimitFilter target, String peer, String client, int answer)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/blocks/latest");
        request.setRemoteAddr(peer);
        request.addHeader("X-Forwarded-For", client);
        MockHttpServletResponse response = new MockHttpServletResponse();
        target.doFilter(request, response, (req, res) -> ((HttpServletResponse) res).setStatus(answer));
        return response;
    }

    @Test
    void successfulRequestsNotFoundAnswersAndPeerTrafficNeverCount() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertThat(send("10.0.0.3", "/api/v1/transactions", 202).getStatus()).isEqualTo(202);
            assertThat(send("10.0.0.3", "/api/v1/transactions/abc", 404).getStatus()).isEqualTo(404);
            assertThat(send("10.0.0.3", "/pbft/messages", 400).getStatus()).isEqualTo(400);
        }
        assertThat(handled).hasValue(150);
    }

    @Test
    void theRefusalStatusesAreClientErrorsOtherThanNotFoundAndTooManyRequests() {
        assertThat(BadRequestRateLimitFilter.isRefusal(400)).isTrue();
        assertThat(BadRequestRateLimitFilter.isRefusal(403)).isTrue();
        assertThat(BadRequestRateLimitFilter.isRefusal(413)).isTrue();
        assertThat(BadRequestRateLimitFilter.isRefusal(404)).isFalse();
        assertThat(BadRequestRateLimitFilter.isRefusal(429)).isFalse();
        assertThat(BadRequestRateLimitFilter.isRefusal(200)).isFalse();
        assertThat(BadRequestRateLimitFilter.isRefusal(503)).isFalse();
    }
}
