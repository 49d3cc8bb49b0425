package io.pbftledger.cli;

import io.pbftledger.cli.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import picocli.CommandLine.Option;

/**
 * The TLS options of the commands that call replicas: the CA to trust for https:// replicas
 * ({@code --ca}, else {@code tls/ca.crt} beside the membership file when it exists) and an
 * optional client certificate for mutual TLS. Without any, the JDK's default trust applies.
 */
final class TlsOptions {
    @Option(names = "--ca", paramLabel = "FILE",
            description = "CA certificate (PEM) to trust for https:// replicas (default: tls/ca.crt beside the membership file, if present).")
    private Path ca;

    @Option(names = "--client-cert", paramLabel = "FILE", description = "Client certificate (PEM) for mutual TLS, with --client-key.")
    private Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "Private key (PEM, PKCS#8) of --client-cert.")
    private Path clientKey;

    TlsOptions() {
    }

    TlsOptions(Path ca, Path clientCert, Path clientKey) {
        this.ca = ca;
        this.clientCert = clientCert;
        this.clientKey = clientKey;
    }

    /**
     * The TLS context for calls to replicas, or empty when neither a CA nor a client certificate
     * is given or found; {@code membershipFile} (may be null) locates the default CA.
     */
    Optional<SSLContext> sslContext(Path membershipFile) {
        if ((clientCert == null) != (clientKey == null)) {
            throw new CliException("--client-cert and --client-key go together; give both or neither", CliErrors.EXIT_USAGE);
        }
        Path trusted = ca != null ? readable("--ca", ca) : defaultCa(membershipFile).orElse(null);
        if (trusted == null && clientCert == null) {
            return Optional.empty();
        }
        PemSslStoreDetails keyStore = null;
        if (clientCert != null) {
            keyStore = PemSslStoreDetails.forCertificate(location(readable("--client-cert", clientCert)))
                    .withPrivateKey(location(readable("--client-key", clientKey)));
        }
        PemSslStoreDetails trustStore = trusted == null ? null : PemSslStoreDetails.forCertificate(location(trusted));
        try {
            return Optional.of(SslBundle.of(new PemSslStoreBundle(keyStore, trustStore)).createSslContext());
        } catch (RuntimeException e) {
            throw new CliException("cannot use the TLS files (" + describe(trusted) + "): " + rootMessage(e), e);
        }
    }

    /** {@code tls/ca.crt} in the membership file's directory, where keygen --tls puts it. */
    static Optional<Path> defaultCa(Path membershipFile) {
        if (membershipFile == null) {
            return Optional.empty();
        }
        Path dir = membershipFile.toAbsolutePath().getParent();
        Path candidate = TlsFiles.caCertificate(dir);
        return Files.isRegularFile(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    private static Path readable(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException(option + " " + file + ": file not found");
        }
        if (!Files.isReadable(file)) {
            throw new CliException(option + " " + file + ": permission denied");
        }
        return file;
    }

    /** A plain absolute path: Spring Boot's resource loading reads it as a file. */
    private static String location(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    private String describe(Path trusted) {
        return "CA " + trusted + (clientCert == null ? "" : ", client certificate " + clientCert + " and key " + clientKey);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return CliErrors.oneLine(String.valueOf(root.getMessage()));
    }
}
