package io.pbftledger.transport;

import io.pbftledger.chain.Membership;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.node.PeerOutbox;
import io.pbftledger.node.ThreadFailures;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link PeerOutbox} over HTTP: one {@link PeerChannel} per other replica. */
public final class HttpPeerOutbox implements PeerOutbox, AutoCloseable {
    /** A peer counts as reachable when it answered within this window. */
    private static final long REACHABLE_WITHIN_MS = 5_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Map<Integer, PeerChannel> channels;

    /**
     * Sends over clients from {@code clients} (plain HTTP or mutual TLS), packing requests within
     * {@code limits} and putting {@code signer}'s headers on each.
     */
    public HttpPeerOutbox(Membership membership, int selfId, int queueMaxMessages, int sendBatchMaxMessages,
                          PeerBodyLimits limits, PeerHttpClients clients, PeerRequestSigner signer) {
        this(membership, selfId, queueMaxMessages, sendBatchMaxMessages, limits, clients, signer, new ThreadFailures());
    }

    /** As above; the senders count unexpected errors they catch in {@code failures}. */
    public HttpPeerOutbox(Membership membership, int selfId, int queueMaxMessages, int sendBatchMaxMessages,
                          PeerBodyLimits limits, PeerHttpClients clients, PeerRequestSigner signer,
                          ThreadFailures failures) {
        HttpClient http = clients.newClient(CONNECT_TIMEOUT);
        Map<Integer, PeerChannel> byId = new TreeMap<>();
        for (Membership.Replica replica : membership.replicas()) {
            if (replica.id() != selfId) {
                byId.put(replica.id(), new PeerChannel(replica.id(), replica.url(), http, queueMaxMessages,
                        sendBatchMaxMessages, limits, signer, failures));
            }
        }
        this.channels = Collections.unmodifiableMap(byId);
    }

    public void start() {
        channels.values().forEach(PeerChannel::start);
    }

    @Override
    public void send(int to, Signed<? extends PbftMessage> message) {
        PeerChannel channel = channels.get(to);
        if (channel == null) {
            throw new IllegalArgumentException("no peer " + to);
        }
        channel.enqueue(message);
    }

    @Override
    public void broadcast(Signed<? extends PbftMessage> message) {
        for (PeerChannel channel : channels.values()) {
            channel.enqueue(message);
        }
    }

    /** Records that a valid message arrived from {@code peerId}: proof that it is alive. */
    public void heardFrom(int peerId) {
        PeerChannel channel = channels.get(peerId);
        if (channel != null) {
            channel.heardFrom(System.currentTimeMillis());
        }
    }

    @Override
    public List<ConsensusInfo.PeerInfo> peers() {
        long now = System.currentTimeMillis();
        List<ConsensusInfo.PeerInfo> out = new ArrayList<>(channels.size());
        for (PeerChannel c : channels.values()) {
            out.add(new ConsensusInfo.PeerInfo(c.peerId(), c.baseUrl(), c.reachable(now, REACHABLE_WITHIN_MS),
                    protocolName(c.protocol()), c.link().name(), c.linkFailures()));
        }
        return out;
    }

    /** "HTTP/1.1" or "HTTP/2", as on the wire; null when nothing has been answered yet. */
    static String protocolName(HttpClient.Version version) {
        if (version == null) {
            return null;
        }
        return version == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1";
    }

    /** Messages waiting per peer, for metrics. */
    public Map<Integer, Integer> queueDepths() {
        Map<Integer, Integer> out = new TreeMap<>();
        channels.forEach((id, c) -> out.put(id, c.queueDepth()));
        return out;
    }

    @Override
    public void close() {
        channels.values().forEach(PeerChannel::close);
    }
}
