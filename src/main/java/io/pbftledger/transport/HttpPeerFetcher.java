package io.pbftledger.transport;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockCodec;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.node.PeerFetcher;
import io.pbftledger.node.StoredCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link PeerFetcher} over HTTP GETs of {@link PeerStateController}, with a bounded response size. */
public final class HttpPeerFetcher implements PeerFetcher {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final java.util.function.IntFunction<Optional<String>> urls;
    private final HttpClient http;
    private final long responseMaxBytes;
    private final int blockMaxTransactions;

    public HttpPeerFetcher(Membership membership, long responseMaxBytes, int blockMaxTransactions) {
        this(membership, responseMaxBytes, blockMaxTransactions, PeerHttpClients.plain());
    }

    /** Fetches over a client from {@code clients}: plain HTTP or mutual TLS. */
    public HttpPeerFetcher(Membership membership, long responseMaxBytes, int blockMaxTransactions, PeerHttpClients clients) {
        this(id -> id >= 0 && id < membership.n() ? Optional.of(membership.replica(id).url()) : Optional.empty(),
                responseMaxBytes, blockMaxTransactions, clients);
    }

    /** @param urls each replica's base URL now (replica-set changes move and add replicas) */
    public HttpPeerFetcher(java.util.function.IntFunction<Optional<String>> urls, long responseMaxBytes,
                           int blockMaxTransactions, PeerHttpClients clients) {
        this.urls = urls;
        this.responseMaxBytes = responseMaxBytes;
        this.blockMaxTransactions = blockMaxTransactions;
        this.http = clients.newClient(CONNECT_TIMEOUT);
    }

    @Override
    public List<Block> blocks(int peer, long fromHeight, int limit) throws IOException {
        byte[] body = get(peer, PeerStateController.BLOCKS_PATH + "?from=" + fromHeight + "&limit=" + limit);
        if (body == null) {
            return List.of();
        }
        try {
            return BlockCodec.decode(body, limit, blockMaxTransactions);
        } catch (LedgerException | IllegalArgumentException e) {
            throw new IOException("replica " + peer + " sent a malformed block page: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredCheckpoint> latestCheckpoint(int peer) throws IOException {
        byte[] body = get(peer, PeerStateController.CHECKPOINT_PATH);
        if (body == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CheckpointWire.decode(body));
        } catch (IllegalArgumentException e) {
            throw new IOException("replica " + peer + " sent a malformed checkpoint: " + e.getMessage(), e);
        }
    }

    /** The body of a 200 answer, null for 204, IOException otherwise or when it exceeds the limit. */
    private byte[] get(int peer, String pathAndQuery) throws IOException {
        String base = urls.apply(peer).orElseThrow(() -> new IOException("replica " + peer
                + " is not a member of a recent replica set here"));
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() == 204) {
                    return null;
                }
                if (response.statusCode() != 200) {
                    throw new IOException("replica " + peer + " answered HTTP " + response.statusCode());
                }
                byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, responseMaxBytes + 1));
                if (body.length > responseMaxBytes) {
                    throw new IOException("replica " + peer + " sent more than " + responseMaxBytes + " bytes");
                }
                return body;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
