package io.pbftledger.transport;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.web.ProblemJson;
import io.pbftledger.web.ProblemType;
import io.pbftledger.web.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With TLS on, lets a request reach the peer endpoints ({@code /pbft/**}) only when the TLS
 * handshake carried a client certificate of the cluster CA (checked by the server's trust store)
 * whose subject names this chain ({@code O=pbft-ledger <chainId>}) and a replica of the membership.
 * Consensus messages ({@code POST /pbft/messages}) need a replica; the read-only chain pages
 * ({@code GET /pbft/blocks}, {@code /pbft/checkpoint}) also admit the certificate of a client that
 * the client membership in effect now lists with the {@code read} role (or admin), so {@code verify}
 * can audit a replica over mutual TLS; a client revoked or stripped of that role by an admin
 * transaction is refused from the next block on, although its certificate is still valid.
 * The messages themselves stay Ed25519-signed: the certificate keeps strangers out, the
 * signatures decide what counts.
 */
public final class PeerCertificateFilter extends OncePerRequestFilter {
    /** Where the servlet container puts the verified client certificate chain. */
    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    /** Request attribute with the replica id of an authenticated peer, for handlers that care. */
    public static final String PEER_REPLICA_ATTRIBUTE = "io.pbftledger.peerReplicaId";

    private final Membership membership;
    private final Supplier<ClientMembership> clients;

    /** @param clients the client membership in effect now (the live registry, moved on by every block) */
    public PeerCertificateFilter(Membership membership, Supplier<ClientMembership> clients) {
        this.membership = membership;
        this.clients = clients;
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
        if (!identity.ofChain(membership.chainId())) {
            refuse(response, "certificate '" + identity.commonName() + "' is for "
                    + (identity.organization() == null ? "no chain (its subject has no O)" : "'" + identity.organization() + "'")
                    + ", not '" + PeerIdentity.ORGANIZATION_PREFIX + membership.chainId() + "'");
            return;
        }
        if (identity.replica()) {
            if (!clients.get().replicas().recentlyMember(identity.replicaId())) {
                refuse(response, "certificate '" + identity.commonName() + "' names no replica of this chain's recent replica sets");
                return;
            }
            request.setAttribute(PEER_REPLICA_ATTRIBUTE, identity.replicaId());
            chain.doFilter(request, response);
            return;
        }
        boolean readOnly = "GET".equals(request.getMethod());
        if (!identity.client() || !readOnly) {
            refuse(response, "certificate '" + identity.commonName() + "' is not a replica's; only replicas may "
                    + (readOnly ? "read this peer endpoint" : "send consensus messages"));
            return;
        }
        Optional<Denial> denial = readerDenial(identity.commonName());
        if (denial.isPresent()) {
            refuse(response, denial.get().type(), denial.get().detail());
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why a client may not read the chain pages: the problem's kind and detail. */
    private record Denial(ProblemType type, String detail) {
    }

    /** Why the client {@code clientId} may not read the chain pages now, or empty. */
    private Optional<Denial> readerDenial(String clientId) {
        ClientMembership now = clients.get();
        Optional<ClientEntry> client = now.client(clientId);
        if (client.isEmpty()) {
            return Optional.of(new Denial(ProblemType.UNKNOWN_CLIENT, now.knownKeys(clientId).isEmpty()
                    ? "client '" + clientId + "' of the certificate is not a member of this ledger"
                    : "client '" + clientId + "' was revoked; its certificate no longer admits reads"));
        }
        if (!client.get().mayAct(Role.READ)) {
            return Optional.of(new Denial(ProblemType.FORBIDDEN, "client '" + clientId + "' lacks the read role"));
        }
        return Optional.empty();
    }

    private static X509Certificate certificate(HttpServletRequest request) {
        Object chain = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        return chain instanceof X509Certificate[] certificates && certificates.length > 0 ? certificates[0] : null;
    }

    private static void refuse(HttpServletResponse response, String detail) throws IOException {
        refuse(response, ProblemType.FORBIDDEN, detail);
    }

    private static void refuse(HttpServletResponse response, ProblemType type, String detail) throws IOException {
        ProblemJson.write(response, type, detail, null);
    }
}
