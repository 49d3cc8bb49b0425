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
import java.util.function.Supplier;

/**
 * {@link PeerOutbox} over HTTP: one {@link PeerChannel} per other replica. The replicas are those of
 * the membership file at start; {@link #update} follows replica-set changes (a channel for each
 * replica of the newest epoch and the one before it, at its newest URL), so a replica added, moved or
 * removed is reached, or no longer reached, without a restart.
 */
public final class HttpPeerOutbox implements PeerOutbox, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpPeerOutbox.class);
    /** A peer counts as reachable when it answered within this window. */
    private static final long REACHABLE_WITHIN_MS = 5_000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final int selfId;
    private final HttpClient http;
    private final int queueMaxMessages;
    private final int sendBatchMaxMessages;
    private final Supplier<PeerBodyLimits> limits;
    private final PeerRequestSigner signer;
    private final ThreadFailures failures;
    /** Replaced whole by {@link #update} (under this object's lock); read without a lock. */
    private volatile Map<Integer, PeerChannel> channels;
    private boolean started;

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
        this(membership, selfId, queueMaxMessages, sendBatchMaxMessages, () -> limits, clients, signer, failures);
    }

    /** As above, packing within the limits in force at each send ({@link PeerLimits#bodies}, which grow with the set). */
    public HttpPeerOutbox(Membership membership, int selfId, int queueMaxMessages, int sendBatchMaxMessages,
                          Supplier<PeerBodyLimits> limits, PeerHttpClients clients, PeerRequestSigner signer,
                          ThreadFailures failures) {
        this.selfId = selfId;
        this.http = clients.newClient(CONNECT_TIMEOUT);
        this.queueMaxMessages = queueMaxMessages;
        this.sendBatchMaxMessages = sendBatchMaxMessages;
        this.limits = limits;
        this.signer = signer;
        this.failures = failures;
        Map<Integer, PeerChannel> byId = new TreeMap<>();
        for (Membership.Replica replica : membership.replicas()) {
            if (replica.id() != selfId) {
                byId.put(replica.id(), channel(replica.id(), replica.url()));
            }
        }
        this.channels = Collections.unmodifiableMap(byId);
    }

    private PeerChannel channel(int id, String url) {
        return new PeerChannel(id, url, http, queueMaxMessages, sendBatchMaxMessages, limits, signer, failures);
    }

    public synchronized void start() {
        started = true;
        channels.values().forEach(PeerChannel::start);
    }

    /**
     * Reaches exactly {@code peers} (replica id to base URL; this replica is left out): a channel is
     * opened for a new replica, replaced for one whose URL changed (what was queued for the old URL is
     * dropped; retransmission covers it) and closed for one no longer listed.
     */
    public synchronized void update(Map<Integer, String> peers) {
        Map<Integer, PeerChannel> next = new TreeMap<>();
        List<PeerChannel> closing = new ArrayList<>();
        for (Map.Entry<Integer, String> peer : peers.entrySet()) {
            int id = peer.getKey();
            if (id == selfId) {
                continue;
            }
            PeerChannel existing = channels.get(id);
            if (existing != null && existing.baseUrl().equals(peer.getValue())) {
                next.put(id, existing);
                continue;
            }
            if (existing != null) {
                closing.add(existing);
            }
            PeerChannel opened = channel(id, peer.getValue());
            next.put(id, opened);
            if (started) {
                opened.start();
            }
            LOG.info("peer {} is reached at {} from now on", id, peer.getValue());
        }
        for (Map.Entry<Integer, PeerChannel> old : channels.entrySet()) {
            if (!next.containsKey(old.getKey()) && !closing.contains(old.getValue())) {
                closing.add(old.getValue());
                LOG.info("peer {} is no longer a replica of a recent epoch: this replica stops sending to it", old.getKey());
            }
        }
        channels = Collections.unmodifiableMap(next);
        closing.forEach(PeerChannel::close);
    }

    /** Sends to {@code to}; a replica with no channel (no longer a member, or not yet known here) is skipped. */
    @Override
    public void send(int to, Signed<? extends PbftMessage> message) {
        PeerChannel channel = channels.get(to);
        if (channel == null) {
            LOG.debug("no channel to replica {}: {} not sent", to, message.message().getClass().getSimpleName());
            return;
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
    public synchronized void close() {
        channels.values().forEach(PeerChannel::close);
    }
}
