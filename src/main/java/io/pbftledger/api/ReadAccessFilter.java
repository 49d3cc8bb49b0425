package io.pbftledger.api;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.chain.Role;
import io.pbftledger.transport.PeerCertificateFilter;
import io.pbftledger.web.ProblemJson;
import io.pbftledger.web.ProblemType;
import io.pbftledger.web.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Closes reads when {@code ledger.api.reads=authenticated}: a GET or HEAD under /api/v1 passes only
 * when a {@link ReadAuthenticator} proves a client with the read (or admin) role, and one under /pbft
 * (the chain pages replicas fetch from each other) only for a replica the peer-certificate filter
 * proved by its TLS certificate, or for such a client (closed reads need TLS: the startup check
 * refuses them without it, as nothing here could prove a replica). The operator reads
 * of {@link #ADMIN_PATHS} (a full chain re-verification costs the replica a database query per
 * transaction) need a client with the admin role whatever {@code ledger.api.reads} says. Health probes,
 * Swagger UI, the OpenAPI document and the explorer's static files are outside /api/v1 and stay
 * open; writes carry their own signatures. The schemes today: signed-request headers and, with TLS,
 * client certificates. Refusals are problem+json written here (this runs
 * outside Spring MVC): 401 without or with bad credentials, 403 for a stranger or a client without
 * the role.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 90)
public class ReadAccessFilter extends OncePerRequestFilter {
    static final String READ_PREFIX = "/api/v1/";
    static final String PEER_PREFIX = "/pbft/";
    /** GETs only an admin may make, reads open or not (prefixes of the routed path). */
    static final List<String> ADMIN_PATHS = List.of("/api/v1/chain/verify");
    /** The request attribute that holds the id of the client a read was authenticated as. */
    public static final String CLIENT_ATTRIBUTE = ReadAccessFilter.class.getName() + ".client";

    private final ApiProperties properties;
    private final ObjectProvider<ReadAuthenticator> authenticators;

    public ReadAccessFilter(ApiProperties properties, ObjectProvider<ReadAuthenticator> authenticators) {
        this.properties = properties;
        this.authenticators = authenticators;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        if (!("GET".equals(method) || "HEAD".equals(method))) {
            return true;
        }
        String path = path(request);
        return !adminOnly(path) && (properties.reads() == ReadAccess.OPEN
                || !(path.startsWith(READ_PREFIX) || peerPage(path)));
    }

    private static boolean peerPage(String path) {
        return path.startsWith(PEER_PREFIX) || path.equals(PEER_PREFIX.substring(0, PEER_PREFIX.length() - 1));
    }

    private static boolean adminOnly(String path) {
        return ADMIN_PATHS.stream().anyMatch(path::startsWith);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        if (peerPage(path) && request.getAttribute(PeerCertificateFilter.PEER_REPLICA_ATTRIBUTE) != null) {
            chain.doFilter(request, response);
            return;
        }
        Role needed = adminOnly(path) ? Role.ADMIN : Role.READ;
        List<ReadAuthenticator> schemes = authenticators.orderedStream().toList();
        for (ReadAuthenticator scheme : schemes) {
            Optional<ClientEntry> client;
            try {
                client = scheme.authenticate(request);
            } catch (LedgerException e) {
                refuse(request, response, ApiExceptionHandler.typeOf(e), e.getMessage());
                return;
            }
            if (client.isPresent()) {
                if (!client.get().mayAct(needed)) {
                    refuse(request, response, ProblemType.FORBIDDEN, "client '" + client.get().id() + "' lacks the "
                            + roleName(needed) + " role");
                    return;
                }
                request.setAttribute(CLIENT_ATTRIBUTE, client.get().id());
                chain.doFilter(request, response);
                return;
            }
        }
        // Over HTTPS a client certificate is the other way in (the only one a browser has).
        String who = needed == Role.ADMIN
                ? path + " re-verifies the stored chain and needs a client with the admin role"
                : peerPage(path) ? "the peer pages of this replica serve only replicas (their TLS certificate) and "
                        + "clients with the read role (ledger.api.reads=authenticated)"
                : "reads on this replica need a client with the read role (ledger.api.reads=authenticated)";
        refuse(request, response, ProblemType.UNAUTHORIZED, who + ": sign the request with the headers "
                + ReadRequestSignature.CLIENT_HEADER
                + ", " + ReadRequestSignature.TIMESTAMP_HEADER + " and " + ReadRequestSignature.SIGNATURE_HEADER
                + (request.isSecure() ? ", or present a client certificate of the cluster's CA (keygen --tls: "
                        + "tls/client-<j>.crt, or tls/client-<j>.p12 for a browser)" : ""));
    }

    private static String roleName(Role role) {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String path(HttpServletRequest request) {
        return RequestPaths.routed(request);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, ProblemType type,
                               String detail) throws IOException {
        if (type.status() == HttpStatus.UNAUTHORIZED.value()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, ReadRequestSignature.DOMAIN);
        }
        ProblemJson.write(response, type, detail, path(request));
    }
}
