package io.pbftledger.cli.tls;

import io.pbftledger.config.DurableFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The TLS files of a cluster directory, all PEM, under {@code tls/}: {@code ca.crt} and
 * {@code ca.key}, {@code replica-<i>.crt} and {@code .key}, {@code client-<j>.crt} and {@code .key}
 * (j as in {@code clients/client-<j>.key}), and per client {@code client-<j>.p12} with its
 * {@code client-<j>.p12.password} for browsers (see {@link ClientPkcs12}). Private keys are unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) with mode 0600,
 * like the other key files; certificates are world-readable.
 */
public final class TlsFiles {
    public static final String DIR = "tls";

    /** What to issue: the chain, each replica's URL in id order, each client's id in file order. */
    public record Plan(String chainId, List<String> replicaUrls, List<String> clientIds, Duration validity) {
        public Plan {
            replicaUrls = List.copyOf(replicaUrls);
            clientIds = List.copyOf(clientIds);
        }
    }

    private TlsFiles() {
    }

    public static Path caCertificate(Path dir) {
        return dir.resolve(DIR).resolve("ca.crt");
    }

    public static Path caKey(Path dir) {
        return dir.resolve(DIR).resolve("ca.key");
    }

    public static Path replicaCertificate(Path dir, int id) {
        return dir.resolve(DIR).resolve("replica-" + id + ".crt");
    }

    public static Path replicaKey(Path dir, int id) {
        return dir.resolve(DIR).resolve("replica-" + id + ".key");
    }

    public static Path clientCertificate(Path dir, int j) {
        return dir.resolve(DIR).resolve("client-" + j + ".crt");
    }

    public static Path clientKey(Path dir, int j) {
        return dir.resolve(DIR).resolve("client-" + j + ".key");
    }

    /** Client j's key, certificate and the CA certificate as one PKCS#12 file, for importing into a browser. */
    public static Path clientPkcs12(Path dir, int j) {
        return dir.resolve(DIR).resolve("client-" + j + ".p12");
    }

    /** The random password of {@link #clientPkcs12}, one line. */
    public static Path clientPkcs12Password(Path dir, int j) {
        return dir.resolve(DIR).resolve("client-" + j + ".p12.password");
    }

    /** Every file {@link #write} creates for {@code replicas} replicas and {@code clients} clients. */
    public static List<Path> targets(Path dir, int replicas, int clients) {
        List<Path> out = new ArrayList<>(List.of(caCertificate(dir), caKey(dir)));
        for (int i = 0; i < replicas; i++) {
            out.add(replicaCertificate(dir, i));
            out.add(replicaKey(dir, i));
        }
        for (int j = 0; j < clients; j++) {
            out.add(clientCertificate(dir, j));
            out.add(clientKey(dir, j));
            out.add(clientPkcs12(dir, j));
            out.add(clientPkcs12Password(dir, j));
        }
        return out;
    }

    /** Creates a new CA and issues every certificate of the plan into {@code dir/tls}. */
    public static void write(Path dir, Plan plan, Instant now, SecureRandom random) {
        TlsAuthority authority = TlsAuthority.create(plan.chainId(), plan.validity(), now, random);
        for (int i = 0; i < plan.replicaUrls().size(); i++) {
            TlsAuthority.Issued issued = authority.issueReplica(i, plan.replicaUrls().get(i));
            writeIssued(replicaCertificate(dir, i), replicaKey(dir, i), issued);
        }
        for (int j = 0; j < plan.clientIds().size(); j++) {
            TlsAuthority.Issued issued = authority.issueClient(plan.clientIds().get(j));
            writeIssued(clientCertificate(dir, j), clientKey(dir, j), issued);
            ClientPkcs12.write(clientPkcs12(dir, j), clientPkcs12Password(dir, j), plan.clientIds().get(j), issued,
                    authority.ca().certificate(), random);
        }
        // the CA goes last: with it present, every certificate it vouches for has been written
        writeIssued(caCertificate(dir), caKey(dir), authority.ca());
    }

    /** Whether {@code dir} holds a cluster CA that keygen wrote (certificate and key). */
    public static boolean hasAuthority(Path dir) {
        return java.nio.file.Files.isRegularFile(caCertificate(dir)) && java.nio.file.Files.isRegularFile(caKey(dir));
    }

    /**
     * Issues the certificate of a replica that joins the cluster of {@code dir} with the cluster's CA
     * ({@code tls/ca.crt}, {@code tls/ca.key}) into {@code tls/replica-<id>.crt} and {@code .key}.
     */
    public static void writeJoiningReplica(Path dir, String chainId, int replicaId, String url, Duration validity,
                                           Instant now, SecureRandom random) {
        TlsAuthority.Issued ca = new TlsAuthority.Issued(readCertificate(caCertificate(dir)), readPrivateKey(caKey(dir)));
        TlsAuthority authority = TlsAuthority.existing(chainId, ca, validity, now, random);
        writeIssued(replicaCertificate(dir, replicaId), replicaKey(dir, replicaId), authority.issueReplica(replicaId, url));
    }

    private static java.security.cert.X509Certificate readCertificate(Path file) {
        Object pem = readPem(file);
        if (!(pem instanceof org.bouncycastle.cert.X509CertificateHolder holder)) {
            throw new IllegalArgumentException(file + " holds no PEM certificate");
        }
        try {
            return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(file + " holds no usable certificate: " + e.getMessage(), e);
        }
    }

    private static java.security.PrivateKey readPrivateKey(Path file) {
        Object pem = readPem(file);
        try {
            org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter converter = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter();
            if (pem instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (pem instanceof org.bouncycastle.openssl.PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new IllegalArgumentException(file + " holds no usable private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(file + " holds no PEM private key");
    }

    private static Object readPem(Path file) {
        try (org.bouncycastle.openssl.PEMParser parser = new org.bouncycastle.openssl.PEMParser(
                java.nio.file.Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object pem = parser.readObject();
            if (pem == null) {
                throw new IllegalArgumentException(file + " holds no PEM object");
            }
            return pem;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeIssued(Path certificateFile, Path keyFile, TlsAuthority.Issued issued) {
        writeAtomically(keyFile, pem(new PemObject("PRIVATE KEY", issued.privateKey().getEncoded())), true);
        writeAtomically(certificateFile, pem(issued.certificate()), false);
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PemObject pemObject) {
                writer.writeObject(pemObject);
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PEM: " + e, e);
        }
        return text.toString();
    }

    /** Written durably: a temporary file already owner-only when secret, synced, renamed into place ({@link DurableFiles}). */
    static void writeAtomically(Path file, String text, boolean secret) {
        writeAtomically(file, text.getBytes(StandardCharsets.US_ASCII), secret);
    }

    static void writeAtomically(Path file, byte[] bytes, boolean secret) {
        try {
            DurableFiles.DISK.write(file, bytes, secret ? DurableFiles.OWNER_ONLY : DurableFiles.READABLE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }
}
