package io.pbftledger.api;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.UnknownClientException;
import io.pbftledger.node.ClientRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Mutual TLS as a read scheme: a request whose TLS handshake carried a client certificate (which
 * the server's trust store, the cluster CA, already verified) reads as the client the certificate
 * names, the way the peer endpoints map certificates to replicas: subject {@code OU=client},
 * {@code CN=<clientId>}, and {@code O=pbft-ledger <chainId>} of this chain, which is required (keygen
 * --tls issues them so; a CA shared by two chains cannot let one chain's client read the other's).
 * The certificate only names the client; whether it may read is decided by the client
 * membership in effect now, so a client revoked by an admin transaction is refused although its
 * certificate is still valid.
 */
public final class CertificateReadAuthenticator implements ReadAuthenticator {
    /** Where the servlet container puts the verified client certificate chain. */
    static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    static final String CLIENT_UNIT = "client";
    static final String ORGANIZATION_PREFIX = "pbft-ledger ";

    private final ClientRegistry clients;

    public CertificateReadAuthenticator(ClientRegistry clients) {
        this.clients = clients;
    }

    @Override
    public Optional<ClientEntry> authenticate(HttpServletRequest request) {
        Object chain = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        if (!(chain instanceof X509Certificate[] certificates) || certificates.length == 0) {
            return Optional.empty();
        }
        CertificateSubject subject = CertificateSubject.of(certificates[0]).orElseThrow(() -> forbidden(
                "the client certificate's subject '" + certificates[0].getSubjectX500Principal().getName()
                        + "' does not name a client (OU=client, CN=<clientId>)"));
        if (!CLIENT_UNIT.equals(subject.unit())) {
            throw forbidden("certificate '" + subject.commonName() + "' is a " + subject.unit()
                    + " certificate, not a client's (OU=client); it does not admit reads");
        }
        ClientMembership membership = clients.current();
        String expected = ORGANIZATION_PREFIX + membership.chainId();
        if (!expected.equals(subject.organization())) {
            throw forbidden("certificate '" + subject.commonName() + "' is for "
                    + (subject.organization() == null ? "no chain (its subject has no O)" : "'" + subject.organization() + "'")
                    + ", not '" + expected + "'");
        }
        String clientId = subject.commonName();
        return Optional.of(membership.client(clientId).orElseThrow(() -> new UnknownClientException(
                membership.knownKeys(clientId).isEmpty()
                        ? "client '" + clientId + "' of the certificate is not a member of this ledger"
                        : "client '" + clientId + "' was revoked; its certificate no longer admits reads")));
    }

    private static LedgerException forbidden(String detail) {
        return new LedgerException(ErrorKind.FORBIDDEN, detail);
    }
}
