package io.pbftledger.api;

import io.pbftledger.chain.ClientEntry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * One way a client proves who it is on a read when {@code ledger.api.reads=authenticated}. The
 * filter asks every authenticator bean in order; the first that finds its credentials decides. Today:
 * {@link SignedReadAuthenticator} (signed-request headers) and, with TLS on,
 * {@link CertificateReadAuthenticator} (the connection's client certificate to a client id).
 */
public interface ReadAuthenticator {

    /**
     * The member that made {@code request}; empty when the request carries none of this scheme's
     * credentials. Throws {@link io.pbftledger.chain.LedgerException} when it carries them but they do
     * not prove a member (BAD_SIGNATURE: 401, FORBIDDEN: 403), with a one-line reason.
     */
    Optional<ClientEntry> authenticate(HttpServletRequest request);
}
