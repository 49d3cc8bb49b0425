package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.config.PermissioningConfiguration;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Closed reads over real HTTPS with mutual TLS: the replica serves the keygen --tls certificate of
 * replica 0 with {@code client-auth: want}, and the JDK's HttpClient presents client certificates. The
 * client membership in effect: client-0 (admin), client-1 revoked by an admin op, client-2 reduced to
 * submit, client-3 never a member, client-4 a reader.
 */
class CertificateReadsHttpsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path keys;
    @TempDir
    static Path foreignKeys;
    private static ConfigurableApplicationContext context;
    private static int port;

    /** The replica under test: the read filter, the membership endpoint and the real read schemes' wiring. */
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
            SslAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class})
    @EnableConfigurationProperties(ApiProperties.class)
    @Import({PermissioningConfiguration.class, ReadAccessFilter.class, MembershipController.class})
    static class HttpsReplica {
        @Bean
        Membership membership(Environment environment) {
            return MembershipFile.load(Path.of(environment.getRequiredProperty("test.membership-file")));
        }

        @Bean
        io.pbftledger.node.EpochProofs epochProofs() {
            return org.mockito.Mockito.mock(io.pbftledger.node.EpochProofs.class);
        }

        @Bean
        ClientRegistry clientRegistry(Membership file) {
            List<Membership.Client> withoutClient3 = file.clients().stream().filter(c -> !c.id().equals("client-3")).toList();
            ClientMembership clients = ClientMembership.genesis(new Membership(file.chainId(), file.replicas(), withoutClient3))
                    .apply(MembershipOp.parse("{\"op\":\"revoke\",\"clientId\":\"client-1\"}"), 3)
                    .apply(MembershipOp.parse("{\"op\":\"roles\",\"clientId\":\"client-2\",\"roles\":[\"submit\"]}"), 4);
            return new ClientRegistry(clients, new VerifiedTransactions(10));
        }
    }

    @BeforeAll
    static void start() {
        for (Path dir : List.of(keys, foreignKeys)) {
            int exit = PbftLedgerCli.newCommandLine().execute("keygen", "--tls", "--clients", "5", "--out", dir.toString());
            assertThat(exit).isZero();
        }
        SpringApplication app = new SpringApplication(HttpsReplica.class);
        context = app.run("--server.port=0", "--server.ssl.bundle=ledger", "--server.ssl.client-auth=want",
                "--spring.ssl.bundle.pem.ledger.keystore.certificate=" + keys.resolve("tls/replica-0.crt"),
                "--spring.ssl.bundle.pem.ledger.keystore.private-key=" + keys.resolve("tls/replica-0.key"),
                "--spring.ssl.bundle.pem.ledger.truststore.certificate=" + keys.resolve("tls/ca.crt"),
                "--ledger.tls.enabled=true", "--ledger.api.reads=authenticated",
                "--test.membership-file=" + keys.resolve("membership.yml"));
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    /** TLS trusting the cluster CA, presenting the certificate of client {@code j} of {@code dir} (none when j < 0). */
    private static SSLContext tls(Path dir, int j) {
        PemSslStoreDetails trust = PemSslStoreDetails.forCertificate(keys.resolve("tls/ca.crt").toString());
        PemSslStoreDetails identity = j < 0 ? null
                : PemSslStoreDetails.forCertificate(dir.resolve("tls/client-" + j + ".crt").toString())
                        .withPrivateKey(dir.resolve("tls/client-" + j + ".key").toString());
        return SslBundle.of(new PemSslStoreBundle(identity, trust)).createSslContext();
    }

    private static HttpResponse<String> read(SSLContext tls, String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("instance").asString()).isEqualTo("/api/v1/membership");
        return body;
    }

    @Test
    void aMemberClientsCertificateWithTheReadRoleReadsWithoutSignedHeaders() throws Exception {
        HttpResponse<String> reader = read(tls(keys, 4), "/api/v1/membership");
        HttpResponse<String> admin = read(tls(keys, 0), "/api/v1/membership");

        assertThat(reader.statusCode()).as(reader.body()).isEqualTo(200);
        assertThat(JSON.readTree(reader.body()).get("height").asLong()).isEqualTo(4);
        assertThat(admin.statusCode()).as("admin implies read: " + admin.body()).isEqualTo(200);
    }

    @Test
    void aRevokedClientsCertificateIsRefusedThoughItIsStillValid() throws Exception {
        JsonNode body = problem(read(tls(keys, 1), "/api/v1/membership"), 403);

        assertThat(body.get("detail").asString())
                .isEqualTo("client 'client-1' was revoked; its certificate no longer admits reads");
    }

    @Test
    void aCertificateOfAClientThatIsNoMemberIsRefused() throws Exception {
        JsonNode body = problem(read(tls(keys, 3), "/api/v1/membership"), 403);

        assertThat(body.get("detail").asString()).isEqualTo("client 'client-3' of the certificate is not a member of this ledger");
    }

    @Test
    void aMemberWithoutTheReadRoleIsRefused() throws Exception {
        JsonNode body = problem(read(tls(keys, 2), "/api/v1/membership"), 403);

        assertThat(body.get("detail").asString()).isEqualTo("client 'client-2' lacks the read role");
    }

    @Test
    void aCertificateOfThisCaThatNamesNoChainIsRefused() throws Exception {
        TestCertificates.issueClient(keys, "CN=client-4,OU=client", "client-4-no-chain");
        PemSslStoreDetails identity = PemSslStoreDetails.forCertificate(keys.resolve("tls/client-4-no-chain.crt").toString())
                .withPrivateKey(keys.resolve("tls/client-4-no-chain.key").toString());
        SSLContext tls = SslBundle.of(new PemSslStoreBundle(identity,
                PemSslStoreDetails.forCertificate(keys.resolve("tls/ca.crt").toString()))).createSslContext();

        JsonNode body = problem(read(tls, "/api/v1/membership"), 403);

        assertThat(body.get("detail").asString()).startsWith("certificate 'client-4' is for no chain (its subject has no O), "
                + "not 'pbft-ledger ");
    }

    @Test
    void aCertificateOfAnotherClustersCaIsRefused() throws Exception {
        // The server asks only for certificates of its CA, so the client's TLS stack withholds the foreign
        // one (a stack that sent it anyway would fail the handshake): the read arrives without credentials.
        JsonNode body = problem(read(tls(foreignKeys, 4), "/api/v1/membership"), 401);

        assertThat(body.get("detail").asString()).startsWith("reads on this replica need a client with the read role");
    }

    @Test
    void withoutCertificateAndWithoutSignedHeadersAReadIsRefusedWith401() throws Exception {
        HttpResponse<String> response = read(tls(keys, -1), "/api/v1/membership");
        JsonNode body = problem(response, 401);

        assertThat(body.get("detail").asString()).contains("sign the request with the headers X-Ledger-Client")
                .endsWith("or present a client certificate of the cluster's CA (keygen --tls: tls/client-<j>.crt, "
                        + "or tls/client-<j>.p12 for a browser)");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("PBFT-LEDGER-READ/v1");
    }

    @Test
    void theExplorersFilesStayOpenSoABrowserWithoutCertificateLearnsHowToGetIn() throws Exception {
        HttpResponse<String> script = read(tls(keys, -1), "/explorer/explorer.js");

        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("Reads on this replica are closed (HTTP 401).", "tls/client-<j>.p12");
    }

    @Test
    void signedHeadersStillWorkOverHttpsAndAreCheckedBeforeTheCertificate() throws Exception {
        ClientIdentity reader = KeyFiles.loadClientIdentity(keys.resolve("clients/client-4.key"));
        long nowMs = System.currentTimeMillis();
        String signature = ReadRequestSignature.sign(reader, "GET", "/api/v1/membership", nowMs);
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/membership"))
                .header(ReadRequestSignature.CLIENT_HEADER, reader.clientId())
                .header(ReadRequestSignature.TIMESTAMP_HEADER, Long.toString(nowMs))
                .header(ReadRequestSignature.SIGNATURE_HEADER, signature).GET().build();

        HttpResponse<String> withoutCertificate = HttpClient.newBuilder().sslContext(tls(keys, -1)).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        // the revoked client-1's certificate on the connection does not matter: the headers decide first
        HttpResponse<String> besideRevokedCertificate = HttpClient.newBuilder().sslContext(tls(keys, 1)).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(withoutCertificate.statusCode()).as(withoutCertificate.body()).isEqualTo(200);
        assertThat(besideRevokedCertificate.statusCode()).as(besideRevokedCertificate.body()).isEqualTo(200);
    }
}
