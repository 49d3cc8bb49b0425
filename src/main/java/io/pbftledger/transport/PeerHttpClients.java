package io.pbftledger.transport;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Makes the JDK HTTP clients a replica calls its peers with: plain, or with TLS whose context
 * holds this replica's certificate (presented to peers that ask for one) and trusts the cluster
 * CA. The JDK client checks that a peer's certificate names the host it dialled.
 *
 * <p>HTTP/1.1 by default. {@link #http2(boolean)} asks for HTTP/2: negotiated by ALPN over TLS, by
 * an {@code Upgrade: h2c} on the first request of each plain connection. A peer that does not
 * speak HTTP/2 is still reached, over HTTP/1.1.
 */
public final class PeerHttpClients {
    private final Optional<SSLContext> sslContext;
    private final HttpClient.Version version;
    /** Makes the clients instead of the JDK's builder, when set (see {@link #madeBy}). */
    private final Function<Duration, HttpClient> factory;

    private PeerHttpClients(Optional<SSLContext> sslContext, HttpClient.Version version,
                            Function<Duration, HttpClient> factory) {
        this.sslContext = sslContext;
        this.version = version;
        this.factory = factory;
    }

    /**
     * Clients made by {@code factory} (given the connect timeout), plain HTTP: a stand-in transport
     * for tests that need a peer link to fail in ways a network does not (an error thrown by a send).
     */
    public static PeerHttpClients madeBy(Function<Duration, HttpClient> factory) {
        if (factory == null) {
            throw new IllegalArgumentException("a client factory is required");
        }
        return new PeerHttpClients(Optional.empty(), HttpClient.Version.HTTP_1_1, factory);
    }

    /** Plain HTTP, for local development and tests. */
    public static PeerHttpClients plain() {
        return new PeerHttpClients(Optional.empty(), HttpClient.Version.HTTP_1_1, null);
    }

    /** HTTPS with {@code sslContext}, which should carry this replica's certificate for mutual TLS. */
    public static PeerHttpClients tls(SSLContext sslContext) {
        if (sslContext == null) {
            throw new IllegalArgumentException("an SSL context is required for TLS");
        }
        return new PeerHttpClients(Optional.of(sslContext), HttpClient.Version.HTTP_1_1, null);
    }

    /** The same clients, asking for HTTP/2 when {@code enabled}, else HTTP/1.1. */
    public PeerHttpClients http2(boolean enabled) {
        return new PeerHttpClients(sslContext, enabled ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1, factory);
    }

    public boolean isTls() {
        return sslContext.isPresent();
    }

    /** The HTTP version the clients ask for. */
    public HttpClient.Version version() {
        return version;
    }

    /** A new client (keep-alive connections) with the given connect timeout. */
    public HttpClient newClient(Duration connectTimeout) {
        if (factory != null) {
            return factory.apply(connectTimeout);
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(version)
                .connectTimeout(connectTimeout);
        sslContext.ifPresent(builder::sslContext);
        return builder.build();
    }
}
