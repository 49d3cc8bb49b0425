package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.cli.tls.TlsAuthority;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.web.ProblemType;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class PeerCertificateFilterTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TlsAuthority CA = TlsAuthority.create("chain-a", Duration.ofDays(1), Instant.now(), RANDOM);
    private static final Membership MEMBERSHIP = membership();

    private final PeerCertificateFilter filter = new PeerCertificateFilter(MEMBERSHIP,
            () -> ClientMembership.genesis(MEMBERSHIP));

    @Test
    void aReplicaCertificatePassesToTheMessageEndpointAndNamesTheReplica() throws Exception {
        Outcome outcome = run("POST", "/pbft/messages", CA.issueReplica(2, "https://127.0.0.1:8082").certificate());

        assertThat(outcome.passed()).isTrue();
        assertThat(outcome.request().getAttribute(PeerCertificateFilter.PEER_REPLICA_ATTRIBUTE)).isEqualTo(2);
    }

    @Test
    void aRequestWithoutACertificateIsRefusedWithAProblem() throws Exception {
        Outcome outcome = run("POST", "/pbft/messages", null);

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.response().getStatus()).isEqualTo(403);
        assertThat(outcome.response().getContentType()).isEqualTo("application/problem+json");
        assertThat(outcome.response().getContentAsString()).contains("\"type\":\"" + ProblemType.FORBIDDEN.uri() + "\"",
                "\"status\":403", "client certificate of this cluster's CA");
    }

    @Test
    void aChainPageWithoutACertificateIsRefusedToo() throws Exception {
        assertThat(run("GET", "/pbft/blocks", null).response().getStatus()).isEqualTo(403);
        assertThat(run("GET", "/pbft/checkpoint", null).response().getStatus()).isEqualTo(403);
    }

    @Test
    void aMemberClientCertificateMayReadChainPagesButNotSendMessages() throws Exception {
        X509Certificate client = CA.issueClient("client-0").certificate();

        assertThat(run("GET", "/pbft/blocks", client).passed()).isTrue();
        Outcome send = run("POST", "/pbft/messages", client);
        assertThat(send.passed()).isFalse();
        assertThat(send.response().getContentAsString()).contains("only replicas may send consensus messages");
    }

    @Test
    void aClientCertificateForAnIdOutsideTheMembershipCannotReadChainPages() throws Exception {
        Outcome outcome = run("GET", "/pbft/blocks", CA.issueClient("stranger").certificate());

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.response().getStatus()).isEqualTo(403);
        assertThat(outcome.response().getContentAsString()).contains("\"type\":\"" + ProblemType.UNKNOWN_CLIENT.uri() + "\"",
                "client 'stranger' of the certificate is not a member of this ledger");
    }

    @Test
    void aClientNamedLikeAReplicaIsStillAClient() throws Exception {
        assertThat(run("POST", "/pbft/messages", CA.issueClient("replica-1").certificate()).passed()).isFalse();
    }

    @Test
    void aReplicaCertificateForAnIdBeyondTheMembershipIsRefused() throws Exception {
        Outcome outcome = run("POST", "/pbft/messages", CA.issueReplica(7, "https://127.0.0.1:8087").certificate());

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.response().getContentAsString()).contains("replica-7", "names no replica");
    }

    @Test
    void thePublicApiIsNotTheFiltersBusiness() throws Exception {
        assertThat(run("POST", "/api/v1/transactions", null).passed()).isTrue();
        assertThat(run("GET", "/pbftx", null).passed()).isTrue();
    }

    private record Outcome(boolean passed, MockHttpServletRequest request, MockHttpServletResponse response) {
    }

    private Outcome run(String method, String path, X509Certificate certificate) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (certificate != null) {
            request.setAttribute(PeerCertificateFilter.CERTIFICATE_ATTRIBUTE, new X509Certificate[] {certificate});
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Outcome(chain.getRequest() != null, request, response);
    }

    private static Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, "https://127.0.0.1:" + (8080 + i), Ed25519.PrivateKey.generate(RANDOM).publicKey()));
        }
        Membership.Client client = new Membership.Client("client-0", Ed25519.PrivateKey.generate(RANDOM).publicKey(),
                Set.of(Role.SUBMIT, Role.READ));
        return new Membership("chain-a", replicas, List.of(client));
    }
}
