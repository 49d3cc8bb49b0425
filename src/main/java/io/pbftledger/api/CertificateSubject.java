package io.pbftledger.api;

import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The identity a cluster certificate's subject states, read as the peer endpoints read it
 * (transport's PeerIdentity): exactly one CN (the client id or {@code replica-<i>}) and one OU
 * ({@code client} or {@code replica}); O ({@code pbft-ledger <chainId>}) when present, else null.
 * Trust in the certificate comes from the TLS handshake, not from here.
 */
record CertificateSubject(String commonName, String unit, String organization) {

    /** Empty when the subject lacks exactly one CN and one OU, or has more than one O. */
    static Optional<CertificateSubject> of(X509Certificate certificate) {
        String commonName = null;
        String unit = null;
        String organization = null;
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                String value = String.valueOf(rdn.getValue());
                switch (rdn.getType().toUpperCase(java.util.Locale.ROOT)) {
                    case "CN" -> {
                        if (commonName != null) {
                            return Optional.empty();
                        }
                        commonName = value;
                    }
                    case "OU" -> {
                        if (unit != null) {
                            return Optional.empty();
                        }
                        unit = value;
                    }
                    case "O" -> {
                        if (organization != null) {
                            return Optional.empty();
                        }
                        organization = value;
                    }
                    default -> {
                        // other attributes (C, L, ...) do not name the holder
                    }
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return commonName == null || unit == null ? Optional.empty()
                : Optional.of(new CertificateSubject(commonName, unit, organization));
    }
}
