package io.pbftledger.transport;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Makes the JDK HTTP clients a replica calls its peers with: plain, or with TLS whose context
 * holds this replica's certificate (presented to peers that ask for one) and trusts the cluster
 * CA. The JDK client checks that a peer's certificate names the host it dialled.
 */
public final class PeerHttpClients {
    private final Optional<SSLContext> sslContext;

    private PeerHttpClients(Optional<SSLContext> sslContext) {
        this.sslContext = sslContext;
    }

    /** Plain HTTP, for local development and tests. */
    public static PeerHttpClients plain() {
        return new PeerHttpClients(Optional.empty());
    }

    /** HTTPS with {@code sslContext}, which should carry this replica's certificate for mutual TLS. */
    public static PeerHttpClients tls(SSLContext sslContext) {
        if (sslContext == null) {
            throw new IllegalArgumentException("an SSL context is required for TLS");
        }
        return new PeerHttpClients(Optional.of(sslContext));
    }

    public boolean isTls() {
        return sslContext.isPresent();
    }

    /** A new HTTP/1.1 client (keep-alive connections, no upgrade round trip) with the given connect timeout. */
    public HttpClient newClient(Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout);
        sslContext.ifPresent(builder::sslContext);
        return builder.build();
    }
}
