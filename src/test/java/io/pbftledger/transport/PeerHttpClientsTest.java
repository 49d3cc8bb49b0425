package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.pbftledger.cli.tls.TlsAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real TLS handshakes against a loopback HTTPS server that demands a client certificate of the cluster CA. */
class PeerHttpClientsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] PASSWORD = "test".toCharArray();

    private final TlsAuthority ca = TlsAuthority.create("chain-a", Duration.ofDays(1), Instant.now(), RANDOM);
    private final AtomicReference<String> seenClient = new AtomicReference<>();
    private final List<HttpsServer> servers = new ArrayList<>();
    private HttpsServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = serve(InetAddress.getLoopbackAddress());
    }

    /** An HTTPS server on {@code address} with replica 1's certificate, demanding a client certificate. */
    private HttpsServer serve(InetAddress address) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
        servers.add(server);
        SSLContext serverContext = context(ca.issueReplica(1, "https://127.0.0.1:1"), ca.ca().certificate());
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = serverContext.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            X509Certificate client = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            seenClient.set(client.getSubjectX500Principal().getName());
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void aTlsClientPresentsTheReplicaCertificateAndTrustsThePeerOfTheSameCa() throws Exception {
        PeerHttpClients clients = PeerHttpClients.tls(context(ca.issueReplica(0, "https://127.0.0.1:0"), ca.ca().certificate()));

        HttpResponse<String> r = clients.newClient(Duration.ofSeconds(2)).send(get("127.0.0.1"), HttpResponse.BodyHandlers.ofString());

        assertThat(clients.isTls()).isTrue();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(seenClient.get()).contains("CN=replica-0", "OU=replica");
    }

    @Test
    void thePeerCertificateMustNameTheHostDialled() throws Exception {
        PeerHttpClients clients = PeerHttpClients.tls(context(ca.issueReplica(0, "https://127.0.0.1:0"), ca.ca().certificate()));

        // "localhost" is in every replica certificate; 127.0.0.2 is not
        assertThat(clients.newClient(Duration.ofSeconds(2)).send(get("localhost"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        HttpsServer elsewhere = serve(InetAddress.getByName("127.0.0.2"));
        HttpRequest misnamed = HttpRequest.newBuilder(URI.create("https://127.0.0.2:" + elsewhere.getAddress().getPort() + "/"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        assertThatThrownBy(() -> clients.newClient(Duration.ofSeconds(2)).send(misnamed, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aPeerWhoseCertificateComesFromAnotherCaIsNotTrusted() throws Exception {
        TlsAuthority other = TlsAuthority.create("chain-a", Duration.ofDays(1), Instant.now(), RANDOM);
        PeerHttpClients clients = PeerHttpClients.tls(context(other.issueReplica(0, "https://127.0.0.1:0"), other.ca().certificate()));

        assertThatThrownBy(() -> clients.newClient(Duration.ofSeconds(2)).send(get("127.0.0.1"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(seenClient.get()).isNull();
    }

    @Test
    void aPlainClientDoesNotSpeakTls() {
        PeerHttpClients clients = PeerHttpClients.plain();

        assertThat(clients.isTls()).isFalse();
        assertThatThrownBy(() -> clients.newClient(Duration.ofSeconds(2)).send(get("127.0.0.1"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    private HttpRequest get(String host) {
        return HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.getAddress().getPort() + "/pbft/checkpoint"))
                .timeout(Duration.ofSeconds(5)).GET().build();
    }

    private static SSLContext context(TlsAuthority.Issued own, X509Certificate trusted) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("own", own.privateKey(), PASSWORD, new X509Certificate[] {own.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
        return context;
    }
}
