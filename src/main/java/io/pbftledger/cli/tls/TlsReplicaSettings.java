package io.pbftledger.cli.tls;

import java.util.List;

/**
 * The TLS part of a replica's yml file: a Spring Boot PEM SSL bundle named {@value #BUNDLE} with
 * the replica's certificate and the cluster CA, used by the server ({@code server.ssl.bundle}) and
 * by the replica's calls to its peers ({@code ledger.tls.*}). Dotted keys, so the block can follow
 * the file's {@code server:} and {@code ledger:} maps without repeating them. Paths are relative to
 * the yml file, like its other paths.
 */
public final class TlsReplicaSettings {
    public static final String BUNDLE = "ledger";
    public static final String KEYSTORE_CERTIFICATE = "spring.ssl.bundle.pem." + BUNDLE + ".keystore.certificate";
    public static final String KEYSTORE_PRIVATE_KEY = "spring.ssl.bundle.pem." + BUNDLE + ".keystore.private-key";
    public static final String TRUSTSTORE_CERTIFICATE = "spring.ssl.bundle.pem." + BUNDLE + ".truststore.certificate";
    /** The bundle's file settings, which the {@code node} command resolves against the yml file's directory. */
    public static final List<String> PATH_PROPERTIES = List.of(KEYSTORE_CERTIFICATE, KEYSTORE_PRIVATE_KEY, TRUSTSTORE_CERTIFICATE);

    private TlsReplicaSettings() {
    }

    /** The yml lines for replica {@code replicaId} of a keygen directory (the yml lives in {@code replicas/}). */
    public static String text(int replicaId) {
        String tls = "../" + TlsFiles.DIR + "/";
        return "# TLS (keygen --tls): HTTPS with this replica's certificate; clients may connect without a certificate,\n"
                + "# peer endpoints (/pbft/**) need a replica certificate of the cluster CA. See SECURITY.md.\n"
                + "server.ssl.bundle: " + BUNDLE + "\n"
                + "server.ssl.client-auth: want\n"
                + KEYSTORE_CERTIFICATE + ": " + tls + "replica-" + replicaId + ".crt\n"
                + KEYSTORE_PRIVATE_KEY + ": " + tls + "replica-" + replicaId + ".key\n"
                + TRUSTSTORE_CERTIFICATE + ": " + tls + "ca.crt\n"
                + "ledger.tls.enabled: true\n"
                + "ledger.tls.bundle: " + BUNDLE + "\n";
    }
}
