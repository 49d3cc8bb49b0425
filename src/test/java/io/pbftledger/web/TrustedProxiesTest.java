package io.pbftledger.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.10", "2001:db8::/32"));

    private String client(String peer, String... forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/blocks");
        request.setRemoteAddr(peer);
        for (String header : forwardedFor) {
            request.addHeader(TrustedProxies.FORWARDED_FOR, header);
        }
        return proxies.clientAddress(request);
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsTheClientWhateverItsHeaderSays() {
        assertThat(client("198.51.100.5", "203.0.113.1")).isEqualTo("198.51.100.5");
        assertThat(client("11.0.0.1", "203.0.113.1")).isEqualTo("11.0.0.1");
    }

    @Test
    void behindTrustedProxiesTheClientIsTheRightmostAddressThatIsNoProxy() {
        assertThat(client("10.1.2.3", "203.0.113.1")).isEqualTo("203.0.113.1");
        assertThat(client("10.1.2.3", "6.6.6.6, 203.0.113.1, 192.168.1.10")).isEqualTo("203.0.113.1");
        assertThat(client("10.1.2.3", "6.6.6.6", "203.0.113.1, 10.200.0.1")).isEqualTo("203.0.113.1");
        assertThat(client("2001:db8:0:0:0:0:0:9", "[2001:db9::1]:443")).isEqualTo("2001:db9:0:0:0:0:0:1");
        assertThat(client("10.1.2.3", "203.0.113.1:8080")).isEqualTo("203.0.113.1");
    }

    @Test
    void withoutAHeaderOrWithGarbageFromAProxyTheLastAddressBelievedIsTheClient() {
        assertThat(client("10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(client("10.1.2.3", "unknown")).isEqualTo("10.1.2.3");
        assertThat(client("10.1.2.3", "203.0.113.1, evil.example, 10.0.0.2")).isEqualTo("10.0.0.2");
    }

    @Test
    void namesAreNeverLookedUpAndBadEntriesStopTheReplicaNamingThem() {
        assertThat(TrustedProxies.literal("localhost")).isEmpty();
        assertThat(TrustedProxies.literal("1.2.3.256")).isEmpty();
        assertThat(TrustedProxies.literal("::1")).hasValueSatisfying(b -> assertThat(b).hasSize(16));
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
                .hasMessage("ledger.api.trusted-proxies: '10.0.0.0/33' is not an IP address or a CIDR range "
                        + "(e.g. 10.0.0.0/8, 192.168.1.10, 2001:db8::/32)");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.internal"))).hasMessageContaining("'proxy.internal'");
    }
}
