package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.config.TlsConfiguration;
import io.pbftledger.node.CheckpointStore;
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
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.Mockito;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * The chain pages ({@code GET /pbft/blocks}, {@code /pbft/checkpoint}) over real HTTPS with mutual
 * TLS (keygen --tls certificates, {@code client-auth: want}): a client certificate admits them only
 * while the client membership in effect lists the client with the read role, and only when its O
 * names this chain. The membership file the replica started with lacks client-3, whom an admin added
 * later; since then client-1 was revoked and client-2 reduced to submit; client-4 reads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerPagesHttpsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path keys;
    private static ConfigurableApplicationContext context;
    private static int port;

    /** The peer certificate check and the chain pages, wired as in a replica, over a chain nobody wrote to. */
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
            SslAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class})
    @Import({TlsConfiguration.class, PeerStateController.class})
    static class HttpsReplica {
        @Bean
        Membership membership(Environment environment) {
            Membership file = MembershipFile.load(Path.of(environment.getRequiredProperty("test.membership-file")));
            return new Membership(file.chainId(), file.replicas(),
                    file.clients().stream().filter(c -> !c.id().equals("client-3")).toList());
        }

        @Bean
        ClientRegistry clientRegistry(Membership started, Environment environment) {
            Membership file = MembershipFile.load(Path.of(environment.getRequiredProperty("test.membership-file")));
            String client3Key = file.client("client-3").orElseThrow().publicKey().toBase64();
            ClientMembership clients = ClientMembership.genesis(started)
                    .apply(MembershipOp.parse("{\"op\":\"add\",\"clientId\":\"client-3\",\"publicKey\":\"" + client3Key
                            + "\",\"roles\":[\"read\"]}"), 2)
                    .apply(MembershipOp.parse("{\"op\":\"revoke\",\"clientId\":\"client-1\"}"), 3)
                    .apply(MembershipOp.parse("{\"op\":\"roles\",\"clientId\":\"client-2\",\"roles\":[\"submit\"]}"), 4);
            return new ClientRegistry(clients, new VerifiedTransactions(10));
        }

        @Bean
        LedgerQueries ledgerQueries() {
            return Mockito.mock(LedgerQueries.class);
        }

        @Bean
        CheckpointStore checkpointStore() {
            return Mockito.mock(CheckpointStore.class);
        }
    }

    @BeforeAll
    static void start() {
        int exit = PbftLedgerCli.newCommandLine().execute("keygen", "--tls", "--clients", "5", "--out", keys.toString());
        assertThat(exit).isZero();
        SpringApplication app = new SpringApplication(HttpsReplica.class);
        context = app.run("--server.port=0", "--server.ssl.bundle=ledger", "--server.ssl.client-auth=want",
                "--spring.ssl.bundle.pem.ledger.keystore.certificate=" + keys.resolve("tls/replica-0.crt"),
                "--spring.ssl.bundle.pem.ledger.keystore.private-key=" + keys.resolve("tls/replica-0.key"),
                "--spring.ssl.bundle.pem.ledger.truststore.certificate=" + keys.resolve("tls/ca.crt"),
                "--ledger.tls.enabled=true", "--ledger.replica-id=0",
                "--test.membership-file=" + keys.resolve("membership.yml"));
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    private static SSLContext tls(String certificate, String key) {
        return SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate(keys.resolve(certificate).toString())
                .withPrivateKey(keys.resolve(key).toString()),
                PemSslStoreDetails.forCertificate(keys.resolve("tls/ca.crt").toString()))).createSslContext();
    }

    private static SSLContext client(int j) {
        return tls("tls/client-" + j + ".crt", "tls/client-" + j + ".key");
    }

    private static HttpResponse<String> get(SSLContext tls, String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String refused(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        return JSON.readTree(response.body()).get("detail").asString();
    }

    @Test
    void aReaderOfTheLiveMembershipReadsTheChainPages() throws Exception {
        assertThat(get(client(4), "/pbft/blocks?from=0&limit=1").statusCode()).isEqualTo(200);
        assertThat(get(client(0), "/pbft/checkpoint").statusCode()).as("admin implies read").isEqualTo(204);
    }

    @Test
    void aClientAnAdminAddedAfterStartReadsThoughTheMembershipFileLacksIt() throws Exception {
        HttpResponse<String> page = get(client(3), "/pbft/blocks?from=0&limit=1");

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    }

    @Test
    void aRevokedClientsCertificateNoLongerReadsTheChainPages() throws Exception {
        assertThat(refused(get(client(1), "/pbft/blocks?from=0&limit=1")))
                .isEqualTo("client 'client-1' was revoked; its certificate no longer admits reads");
        assertThat(refused(get(client(1), "/pbft/checkpoint")))
                .isEqualTo("client 'client-1' was revoked; its certificate no longer admits reads");
    }

    @Test
    void aClientWithoutTheReadRoleIsRefused() throws Exception {
        assertThat(refused(get(client(2), "/pbft/blocks?from=0&limit=1"))).isEqualTo("client 'client-2' lacks the read role");
    }

    @Test
    void aCertificateOfThisCaForAnotherChainIsRefused() throws Exception {
        TestCertificates.issueClient(keys, "CN=client-4,OU=client,O=pbft-ledger another-chain", "client-4-other-chain");

        String detail = refused(get(tls("tls/client-4-other-chain.crt", "tls/client-4-other-chain.key"),
                "/pbft/blocks?from=0&limit=1"));

        assertThat(detail).startsWith("certificate 'client-4' is for 'pbft-ledger another-chain', not 'pbft-ledger ");
    }

    @Test
    void aCertificateOfThisCaWithoutAChainIsRefused() throws Exception {
        TestCertificates.issueClient(keys, "CN=client-4,OU=client", "client-4-no-chain");

        String detail = refused(get(tls("tls/client-4-no-chain.crt", "tls/client-4-no-chain.key"),
                "/pbft/blocks?from=0&limit=1"));

        assertThat(detail).startsWith("certificate 'client-4' is for no chain (its subject has no O), not 'pbft-ledger ");
    }

    @Test
    void aReplicaCertificateWithoutAChainIsRefusedToo() throws Exception {
        TestCertificates.issueClient(keys, "CN=replica-1,OU=replica", "replica-1-no-chain");

        assertThat(refused(get(tls("tls/replica-1-no-chain.crt", "tls/replica-1-no-chain.key"), "/pbft/checkpoint")))
                .startsWith("certificate 'replica-1' is for no chain");
        assertThat(get(tls("tls/replica-1.crt", "tls/replica-1.key"), "/pbft/checkpoint").statusCode())
                .as("keygen's replica certificate").isEqualTo(204);
    }
}
