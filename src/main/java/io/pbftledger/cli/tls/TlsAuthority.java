package io.pbftledger.cli.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster's certificate authority: an ECDSA P-256 key and a self-signed CA certificate that
 * issues one certificate per replica (server and client authentication) and one per client
 * (client authentication only). P-256 rather than Ed25519 because every TLS stack a client may
 * use (the JDK's included) accepts ECDSA server certificates.
 *
 * <p>Subjects carry the role in OU ({@value #REPLICA_UNIT} or {@value #CLIENT_UNIT}) and the
 * identity in CN ({@code replica-<i>} or the client id); the replicas' peer endpoints accept a
 * certificate of this CA whose subject says {@value #REPLICA_UNIT}.
 */
public final class TlsAuthority {
    public static final String ORGANIZATION = "pbft-ledger";
    public static final String REPLICA_UNIT = "replica";
    public static final String CLIENT_UNIT = "client";
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(730);
    /** Certificates start this long before now, so replicas whose clocks lag a little accept them at once. */
    static final Duration BACKDATE = Duration.ofHours(1);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final int SERIAL_BITS = 127;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** An issued certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey privateKey) {
    }

    private final String chainId;
    private final Issued ca;
    private final Instant notBefore;
    private final Instant notAfter;
    private final SecureRandom random;

    private TlsAuthority(String chainId, Issued ca, Instant notBefore, Instant notAfter, SecureRandom random) {
        this.chainId = chainId;
        this.ca = ca;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.random = random;
    }

    /** A new CA for {@code chainId} whose certificates (its own included) are valid from now for {@code validity}. */
    public static TlsAuthority create(String chainId, Duration validity, Instant now, SecureRandom random) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity must be positive, got " + validity);
        }
        Instant from = now.minus(BACKDATE);
        Instant to = now.plus(validity);
        KeyPair keys = newKeyPair(random);
        X500Name subject = name(chainId + " cluster CA", "ca", chainId);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random), Date.from(from),
                Date.from(to), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the CA certificate: " + e, e);
        }
        X509Certificate certificate = sign(builder, keys.getPrivate());
        return new TlsAuthority(chainId, new Issued(certificate, keys.getPrivate()), from, to, random);
    }

    /**
     * An existing CA (read back from a keygen directory), issuing certificates valid from now for
     * {@code validity}, and never beyond the CA's own expiry.
     */
    public static TlsAuthority existing(String chainId, Issued ca, Duration validity, Instant now, SecureRandom random) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity must be positive, got " + validity);
        }
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        if (!caEnd.isAfter(now)) {
            throw new IllegalArgumentException("the cluster CA expired at " + caEnd);
        }
        Instant to = now.plus(validity);
        return new TlsAuthority(chainId, ca, now.minus(BACKDATE), to.isAfter(caEnd) ? caEnd : to, random);
    }

    public Issued ca() {
        return ca;
    }

    /**
     * A replica's certificate: for TLS servers and clients, with the subject alternative names
     * 127.0.0.1, localhost and the host of its membership URL, so peers can check the name they dialled.
     */
    public Issued issueReplica(int replicaId, String url) {
        Set<String> hosts = new LinkedHashSet<>(List.of("127.0.0.1", "localhost"));
        hosts.add(host(url));
        List<GeneralName> names = new ArrayList<>();
        hosts.forEach(h -> names.add(generalName(h)));
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, "urn:pbft-ledger:" + chainId + ":replica:" + replicaId));
        return issue(name("replica-" + replicaId, REPLICA_UNIT, chainId), names,
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
    }

    /** A client's certificate, for TLS client authentication only; CN is the client id. */
    public Issued issueClient(String clientId) {
        GeneralName uri = new GeneralName(GeneralName.uniformResourceIdentifier,
                "urn:pbft-ledger:" + chainId + ":client:" + clientId);
        return issue(name(clientId, CLIENT_UNIT, chainId), List.of(uri), new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth});
    }

    private Issued issue(X500Name subject, List<GeneralName> altNames, KeyPurposeId[] purposes) {
        KeyPair keys = newKeyPair(random);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(random),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(altNames.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(ca.certificate()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a certificate for " + subject + ": " + e, e);
        }
        return new Issued(sign(builder, ca.privateKey()), keys.getPrivate());
    }

    /** The host of a replica URL, without IPv6 brackets. */
    static String host(String url) {
        String host = URI.create(url).getHost();
        if (host == null) {
            throw new IllegalArgumentException("replica URL '" + url + "' has no host");
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static GeneralName generalName(String host) {
        boolean ip = IPV4.matcher(host).matches() || host.contains(":");
        if (!ip) {
            return new GeneralName(GeneralName.dNSName, host);
        }
        try {
            // a literal address: no name lookup happens
            return new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address", e);
        }
    }

    private static X500Name name(String commonName, String unit, String chainId) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.OU, unit)
                .addRDN(BCStyle.O, ORGANIZATION + " " + chainId)
                .build();
    }

    private static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate ECDSA P-256 keys: " + e, e);
        }
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(SERIAL_BITS, random).setBit(SERIAL_BITS - 1);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate: " + e, e);
        }
    }
}
