package io.pbftledger.transport;

import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who a cluster certificate says its holder is, read from its subject: OU {@code replica} with
 * CN {@code replica-<i>}, or OU {@code client} with the client id as CN, and O {@code pbft-ledger
 * <chainId>} naming the chain (the layout keygen --tls issues). Trust in the certificate itself comes
 * from the TLS handshake, not from here.
 *
 * @param organization the subject's O, null when it has none
 */
record PeerIdentity(String unit, String commonName, int replicaId, String organization) {
    static final String REPLICA_UNIT = "replica";
    static final String CLIENT_UNIT = "client";
    static final String ORGANIZATION_PREFIX = "pbft-ledger ";
    private static final Pattern REPLICA_NAME = Pattern.compile("replica-(\\d{1,9})");

    boolean replica() {
        return REPLICA_UNIT.equals(unit) && replicaId >= 0;
    }

    boolean client() {
        return CLIENT_UNIT.equals(unit);
    }

    /** True when the certificate's O names the chain {@code chainId}: a CA shared by two chains cannot mix them up. */
    boolean ofChain(String chainId) {
        return (ORGANIZATION_PREFIX + chainId).equals(organization);
    }

    /**
     * The identity in {@code certificate}, empty without a certificate or with a subject lacking exactly
     * one CN and OU, or with more than one O.
     */
    static Optional<PeerIdentity> of(X509Certificate certificate) {
        if (certificate == null) {
            return Optional.empty();
        }
        String commonName = null;
        String unit = null;
        String organization = null;
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                String type = rdn.getType();
                String value = String.valueOf(rdn.getValue());
                if ("CN".equalsIgnoreCase(type)) {
                    if (commonName != null) {
                        return Optional.empty();
                    }
                    commonName = value;
                } else if ("OU".equalsIgnoreCase(type)) {
                    if (unit != null) {
                        return Optional.empty();
                    }
                    unit = value;
                } else if ("O".equalsIgnoreCase(type)) {
                    if (organization != null) {
                        return Optional.empty();
                    }
                    organization = value;
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        if (commonName == null || unit == null) {
            return Optional.empty();
        }
        Matcher m = REPLICA_NAME.matcher(commonName);
        int id = REPLICA_UNIT.equals(unit) && m.matches() ? Integer.parseInt(m.group(1)) : -1;
        return Optional.of(new PeerIdentity(unit, commonName, id, organization));
    }
}
