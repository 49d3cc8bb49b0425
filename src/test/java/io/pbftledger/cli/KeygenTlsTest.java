package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Membership;
import io.pbftledger.config.MembershipFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.FileSystemResource;

class KeygenTlsTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    @TempDir
    Path dir;

    @Test
    void tlsWritesACaAndACertificatePerReplicaAndClientThatChainToIt() throws Exception {
        CliRun run = CliRun.of("keygen", "--tls", "--clients", "2", "--host", "10.0.0.5", "--base-port", "9443", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        X509Certificate ca = certificate(dir.resolve("tls/ca.crt"));
        assertThat(ca.getBasicConstraints()).as("the CA may sign certificates").isGreaterThanOrEqualTo(0);
        for (int i = 0; i < 4; i++) {
            X509Certificate replica = certificate(dir.resolve("tls/replica-" + i + ".crt"));
            replica.verify(ca.getPublicKey());
            assertThat(replica.getSubjectX500Principal().getName()).contains("CN=replica-" + i, "OU=replica");
            assertThat(replica.getPublicKey().getAlgorithm()).isEqualTo("EC");
            assertThat(replica.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
            assertThat(alternativeNames(replica)).contains(List.of(SAN_IP, "127.0.0.1"), List.of(SAN_DNS, "localhost"),
                    List.of(SAN_IP, "10.0.0.5"));
            assertKeyMatches(dir.resolve("tls/replica-" + i + ".key"), replica);
        }
        for (int j = 0; j < 2; j++) {
            X509Certificate client = certificate(dir.resolve("tls/client-" + j + ".crt"));
            client.verify(ca.getPublicKey());
            assertThat(client.getSubjectX500Principal().getName()).contains("CN=client-" + j, "OU=client");
            assertThat(client.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
            assertThat(client.getBasicConstraints()).as("a client certificate cannot sign others").isEqualTo(-1);
            assertKeyMatches(dir.resolve("tls/client-" + j + ".key"), client);
        }
        assertThat(run.out()).contains("ca.key");
    }

    @Test
    void privateKeysAreOwnerOnlyAndCertificatesReadable() throws IOException {
        CliRun.of("keygen", "--tls", "--out", dir.toString());

        for (String key : List.of("ca.key", "replica-0.key", "replica-3.key", "client-0.key")) {
            assertThat(mode(dir.resolve("tls").resolve(key))).as(key).isEqualTo("rw-------");
        }
        assertThat(mode(dir.resolve("tls/ca.crt"))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(dir.resolve("tls/ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void eachClientGetsAPkcs12FileForBrowsersWithItsOwnRandomPasswordBesideIt() throws Exception {
        CliRun run = CliRun.of("keygen", "--tls", "--clients", "2", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        X509Certificate ca = certificate(dir.resolve("tls/ca.crt"));
        List<String> passwords = new java.util.ArrayList<>();
        for (int j = 0; j < 2; j++) {
            Path p12 = dir.resolve("tls/client-" + j + ".p12");
            Path passwordFile = dir.resolve("tls/client-" + j + ".p12.password");
            assertThat(mode(p12)).isEqualTo("rw-------");
            assertThat(mode(passwordFile)).isEqualTo("rw-------");
            String password = Files.readString(passwordFile).strip();
            assertThat(password).matches("[A-Za-z0-9_-]{24}");
            passwords.add(password);

            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                store.load(in, password.toCharArray());
            }
            assertThat(java.util.Collections.list(store.aliases())).containsExactly("client-" + j);
            java.security.cert.Certificate[] chain = store.getCertificateChain("client-" + j);
            assertThat(chain).containsExactly(certificate(dir.resolve("tls/client-" + j + ".crt")), ca);
            PrivateKey key = (PrivateKey) store.getKey("client-" + j, password.toCharArray());
            String pem = Files.readString(dir.resolve("tls/client-" + j + ".key"))
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            assertThat(key.getEncoded()).as("the same key as client-%d.key", j).isEqualTo(Base64.getDecoder().decode(pem));
        }
        assertThat(passwords.get(0)).isNotEqualTo(passwords.get(1));
        assertThat(run.out()).contains("client-<j>.p12 for browsers (its password is in client-<j>.p12.password)");
    }

    @Test
    void certificatesAreValidFromNowForTheRequestedDays() throws Exception {
        CliRun.of("keygen", "--tls", "--tls-validity-days", "30", "--out", dir.toString());

        X509Certificate replica = certificate(dir.resolve("tls/replica-1.crt"));
        Instant now = Instant.now();
        assertThat(replica.getNotBefore().toInstant()).isBefore(now);
        assertThat(replica.getNotAfter().toInstant()).isBetween(now.plus(Duration.ofDays(29)), now.plus(Duration.ofDays(31)));
    }

    @Test
    void membershipUrlsBecomeHttpsAndEachReplicaYmlGetsItsTlsSettings() {
        CliRun run = CliRun.of("keygen", "--tls", "--base-port", "9443", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Membership m = MembershipFile.load(dir.resolve("membership.yml"));
        for (int i = 0; i < 4; i++) {
            assertThat(m.replica(i).url()).isEqualTo("https://127.0.0.1:" + (9443 + i));
            Properties yml = yaml(dir.resolve("replicas/replica-" + i + ".yml"));
            assertThat(yml).contains(
                    Map.entry("server.port", 9443 + i),
                    Map.entry("ledger.replica-id", i),
                    Map.entry("ledger.key-file", "replica-" + i + ".key"),
                    Map.entry("server.ssl.bundle", "ledger"),
                    Map.entry("server.ssl.client-auth", "want"),
                    Map.entry("ledger.tls.enabled", true),
                    Map.entry("spring.ssl.bundle.pem.ledger.keystore.certificate", "../tls/replica-" + i + ".crt"),
                    Map.entry("spring.ssl.bundle.pem.ledger.keystore.private-key", "../tls/replica-" + i + ".key"),
                    Map.entry("spring.ssl.bundle.pem.ledger.truststore.certificate", "../tls/ca.crt"));
            Path base = dir.resolve("replicas");
            assertThat(base.resolve((String) yml.get("spring.ssl.bundle.pem.ledger.keystore.certificate"))).isRegularFile();
        }
    }

    @Test
    void aUrlTemplateWithoutHttpsIsRefusedWithTlsBeforeAnythingIsWritten() {
        CliRun run = CliRun.of("keygen", "--tls", "--url-template", "http://ledger-{i}.ledger:8443", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(CliErrors.EXIT_USAGE);
        assertThat(run.err()).contains("--url-template must start with https://");
        assertThat(dir.resolve("membership.yml")).doesNotExist();
        assertThat(dir.resolve("tls")).doesNotExist();
    }

    @Test
    void anHttpsTemplatePutsItsHostNamesIntoTheReplicaCertificates() throws Exception {
        CliRun run = CliRun.of("keygen", "--tls", "--url-template", "https://ledger-{i}.ledger:8443", "--out", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(alternativeNames(certificate(dir.resolve("tls/replica-2.crt")))).contains(List.of(SAN_DNS, "ledger-2.ledger"));
    }

    @Test
    void existingTlsFilesAreNotReplacedWithoutForce() throws IOException {
        CliRun.of("keygen", "--tls", "--out", dir.toString());
        String ca = Files.readString(dir.resolve("tls/ca.crt"));
        Files.delete(dir.resolve("membership.yml"));
        for (int i = 0; i < 4; i++) {
            Files.delete(dir.resolve("replicas/replica-" + i + ".key"));
            Files.delete(dir.resolve("replicas/replica-" + i + ".yml"));
        }
        Files.delete(dir.resolve("clients/client-0.key"));

        CliRun again = CliRun.of("keygen", "--tls", "--out", dir.toString());

        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("already exists", "tls");
        assertThat(Files.readString(dir.resolve("tls/ca.crt"))).isEqualTo(ca);
    }

    @Test
    void aValidityOutOfRangeIsAUsageError() {
        CliRun run = CliRun.of("keygen", "--tls", "--tls-validity-days", "0", "--out", dir.toString());

        assertThat(run.exitCode()).isEqualTo(CliErrors.EXIT_USAGE);
        assertThat(run.err()).contains("--tls-validity-days must be between 1 and 3650");
    }

    @Test
    void withoutTlsNoTlsFilesOrSettingsAreWritten() throws IOException {
        CliRun.of("keygen", "--out", dir.toString());

        assertThat(dir.resolve("tls")).doesNotExist();
        assertThat(Files.readString(dir.resolve("replicas/replica-0.yml"))).doesNotContain("ssl");
    }

    /**
     * A replica that joins a TLS cluster needs a certificate of the cluster CA, or its peers refuse its
     * connections: keygen --join issues one from the CA it finds under --out/tls.
     */
    @Test
    void aJoiningReplicaOfATlsClusterGetsACertificateFromTheClusterCaAndTheTlsSettings() throws Exception {
        assertThat(CliRun.of("keygen", "--tls", "--out", dir.toString()).exitCode()).isZero();
        byte[] caBefore = Files.readAllBytes(dir.resolve("tls/ca.crt"));

        CliRun http = CliRun.of("keygen", "--join", "--id", "4", "--url", "http://127.0.0.1:8084",
                "--membership", dir.resolve("membership.yml").toString(), "--out", dir.toString());
        assertThat(http.exitCode()).isEqualTo(2);
        assertThat(http.errLines()).singleElement().asString().contains("the cluster uses TLS", "--url must start with https://");

        CliRun join = CliRun.of("keygen", "--join", "--id", "4", "--url", "https://10.0.0.9:8447",
                "--membership", dir.resolve("membership.yml").toString(), "--out", dir.toString());
        assertThat(join.exitCode()).as(join.err()).isZero();
        X509Certificate ca = certificate(dir.resolve("tls/ca.crt"));
        X509Certificate joiner = certificate(dir.resolve("tls/replica-4.crt"));
        joiner.verify(ca.getPublicKey());
        assertThat(joiner.getSubjectX500Principal().getName()).contains("CN=replica-4", "OU=replica");
        assertThat(joiner.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
        assertThat(alternativeNames(joiner)).contains(List.of(SAN_IP, "10.0.0.9"));
        assertThat(joiner.getNotAfter()).isBeforeOrEqualTo(ca.getNotAfter());
        assertKeyMatches(dir.resolve("tls/replica-4.key"), joiner);
        assertThat(mode(dir.resolve("tls/replica-4.key"))).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(dir.resolve("tls/ca.crt"))).as("the CA is untouched").isEqualTo(caBefore);
        Properties settings = yaml(dir.resolve("replicas/replica-4.yml"));
        assertThat(settings.getProperty("ledger.join")).isEqualTo("true");
        assertThat(settings.getProperty("ledger.tls.enabled")).isEqualTo("true");
        assertThat(settings.getProperty("spring.ssl.bundle.pem.ledger.keystore.certificate")).isEqualTo("../tls/replica-4.crt");

        CliRun again = CliRun.of("keygen", "--join", "--id", "4", "--url", "https://10.0.0.9:8447",
                "--membership", dir.resolve("membership.yml").toString(), "--out", dir.toString());
        assertThat(again.exitCode()).as("never replaces a file").isEqualTo(1);
    }

    static X509Certificate certificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void assertKeyMatches(Path keyFile, X509Certificate certificate) throws Exception {
        String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        byte[] data = "proof of possession".getBytes();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).as("%s is the key of its certificate", keyFile.getFileName()).isTrue();
    }

    private static List<List<?>> alternativeNames(X509Certificate certificate) throws Exception {
        List<List<?>> names = new java.util.ArrayList<>();
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
            names.add(List.copyOf(name));
        }
        return names;
    }

    private static Properties yaml(Path file) {
        YamlPropertiesFactoryBean factory = new YamlPropertiesFactoryBean();
        factory.setResources(new FileSystemResource(file));
        return factory.getObject();
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
