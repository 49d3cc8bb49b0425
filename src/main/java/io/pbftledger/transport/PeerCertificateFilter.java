package io.pbftledger.transport;

import io.pbftledger.chain.Membership;
import io.pbftledger.web.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With TLS on, lets a request reach the peer endpoints ({@code /pbft/**}) only when the TLS
 * handshake carried a client certificate of the cluster CA (checked by the server's trust store)
 * whose subject is a replica of the membership. Consensus messages ({@code POST /pbft/messages})
 * need a replica; the read-only chain pages ({@code GET /pbft/blocks}, {@code /pbft/checkpoint})
 * also admit a member client's certificate, so {@code verify} can audit a replica over mutual TLS.
 * The messages themselves stay Ed25519-signed: the certificate keeps strangers out, the
 * signatures decide what counts.
 */
public final class PeerCertificateFilter extends OncePerRequestFilter {
    /** Where the servlet container puts the verified client certificate chain. */
    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    /** Request attribute with the replica id of an authenticated peer, for handlers that care. */
    public static final String PEER_REPLICA_ATTRIBUTE = "io.pbftledger.peerReplicaId";

    private final Membership membership;

    public PeerCertificateFilter(Membership membership) {
        this.membership = membership;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.routed(request);
        return !path.equals("/pbft") && !path.startsWith("/pbft/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<PeerIdentity> peer = PeerIdentity.of(certificate(request));
        if (peer.isEmpty()) {
            refuse(response, "peer endpoints need a client certificate of this cluster's CA (TLS is on)");
            return;
        }
        PeerIdentity identity = peer.get();
        if (identity.replica()) {
            if (identity.replicaId() < 0 || identity.replicaId() >= membership.n()) {
                refuse(response, "certificate '" + identity.commonName() + "' names no replica of this membership");
                return;
            }
            request.setAttribute(PEER_REPLICA_ATTRIBUTE, identity.replicaId());
            chain.doFilter(request, response);
            return;
        }
        boolean readOnly = "GET".equals(request.getMethod());
        if (identity.client() && readOnly && membership.client(identity.commonName()).isPresent()) {
            chain.doFilter(request, response);
            return;
        }
        refuse(response, "certificate '" + identity.commonName() + "' is not a replica's; only replicas may "
                + (readOnly ? "read this peer endpoint" : "send consensus messages"));
    }

    private static X509Certificate certificate(HttpServletRequest request) {
        Object chain = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        return chain instanceof X509Certificate[] certificates && certificates.length > 0 ? certificates[0] : null;
    }

    private static void refuse(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType("application/problem+json");
        String body = "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\""
                + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
