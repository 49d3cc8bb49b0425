package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The primary's waiting requests, FIFO per client and served round-robin across clients: a batch
 * takes one request of each waiting client in turn, so a client flooding the primary never delays
 * another client's request by more than one request per waiting client. (A flooding client is held
 * back before that, at admission: each replica's mempool refuses it with 429.) Deterministic: the
 * rotation is the order in which clients started waiting.
 *
 * <p>Two kinds of request share the queue. A request <em>held here</em> was accepted by this
 * replica's own mempool (or was already in its care, e.g. relayed to it before it became primary):
 * it is always queued and never displaced, because nobody else may remember it; the mempool bounds
 * how many there are. A <em>forwarded</em> request came from another replica, which keeps it until it
 * is ordered; {@code maxForwarded} bounds those. The node sets that bound to at least n times its
 * mempool bound M. An honest replica never has more than M forwarded requests waiting here, so when
 * the bound is reached the replica with the most has more than M: it forwards more than it could
 * have accepted. As a counted defence, its newest forwarded request gives way to the newcomer, or
 * the newcomer is refused when it comes from that replica itself: a flood only costs the flooder.
 */
final class FairQueue {
    /** What {@link #addHeld} or {@link #addForwarded} did. */
    enum Added { QUEUED, QUEUED_DISPLACING_ANOTHER, REFUSED }

    /** A forwarded request: who sent it, and when (its order among that sender's requests). */
    private record Arrival(int source, long stamp, ClientRequest request) {
    }

    private final int maxForwarded;
    /** Clients in rotation order; the head is served next. Each holds its requests in arrival order. */
    private final LinkedHashMap<String, ArrayDeque<ClientRequest>> byClient = new LinkedHashMap<>();
    private final Set<RequestKey> queued = new HashSet<>();
    /** The queued requests that came from other replicas (the rest are held here). */
    private final Map<RequestKey, Arrival> forwarded = new HashMap<>();
    /** Per sending replica, its forwarded requests still queued, by arrival. */
    private final TreeMap<Integer, TreeMap<Long, RequestKey>> bySource = new TreeMap<>();
    private long arrivals;
    private long queuedBytes;

    FairQueue(int maxForwarded) {
        Invariants.check(maxForwarded > 0, "maxForwarded must be positive");
        this.maxForwarded = maxForwarded;
    }

    boolean contains(RequestKey key) {
        return queued.contains(key);
    }

    int size() {
        return queued.size();
    }

    /** Queued requests that came from other replicas. */
    int forwardedSize() {
        return forwarded.size();
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    long bytes() {
        return queuedBytes;
    }

    /** Queues a request held here: always, it is never refused or displaced. */
    Added addHeld(RequestKey key, ClientRequest request) {
        Invariants.check(!queued.contains(key), "request queued twice");
        append(key, request);
        return Added.QUEUED;
    }

    /** Queues a request that replica {@code source} forwarded, within {@code maxForwarded} (see the class comment). */
    Added addForwarded(RequestKey key, ClientRequest request, int source) {
        Invariants.check(!queued.contains(key), "request queued twice");
        Added result = Added.QUEUED;
        if (forwarded.size() >= maxForwarded) {
            if (!displaceFromLargestSource(source)) {
                return Added.REFUSED;
            }
            result = Added.QUEUED_DISPLACING_ANOTHER;
        }
        append(key, request);
        long stamp = arrivals++;
        forwarded.put(key, new Arrival(source, stamp, request));
        bySource.computeIfAbsent(source, s -> new TreeMap<>()).put(stamp, key);
        return result;
    }

    private void append(RequestKey key, ClientRequest request) {
        byClient.computeIfAbsent(key.clientId(), c -> new ArrayDeque<>()).addLast(request);
        queued.add(key);
        queuedBytes += request.size();
    }

    /**
     * Takes up to {@code maxCount} requests, one per client in rotation order, stopping before the
     * batch would exceed {@code maxBytes} (a single request larger than that still goes alone).
     */
    List<ClientRequest> take(int maxCount, long maxBytes) {
        List<ClientRequest> batch = new ArrayList<>(Math.min(queued.size(), maxCount));
        long bytes = 0;
        while (batch.size() < maxCount && !byClient.isEmpty()) {
            Iterator<Map.Entry<String, ArrayDeque<ClientRequest>>> head = byClient.entrySet().iterator();
            Map.Entry<String, ArrayDeque<ClientRequest>> next = head.next();
            ClientRequest r = next.getValue().peekFirst();
            if (!batch.isEmpty() && bytes + r.size() > maxBytes) {
                break;
            }
            next.getValue().pollFirst();
            remove(r);
            batch.add(r);
            bytes += r.size();
            head.remove();
            if (!next.getValue().isEmpty()) {
                // Served: to the back of the rotation.
                byClient.put(next.getKey(), next.getValue());
            }
        }
        return batch;
    }

    /** Every waiting request, client by client in rotation order; the queue is empty afterwards. */
    List<ClientRequest> drain() {
        List<ClientRequest> out = new ArrayList<>(queued.size());
        byClient.values().forEach(out::addAll);
        byClient.clear();
        queued.clear();
        forwarded.clear();
        bySource.clear();
        queuedBytes = 0;
        return out;
    }

    /** The sender with the most forwarded requests waiting gives up its newest, unless the newcomer's holds as many. */
    private boolean displaceFromLargestSource(int newcomerSource) {
        int largest = -1;
        int most = 0;
        for (Map.Entry<Integer, TreeMap<Long, RequestKey>> e : bySource.entrySet()) {
            if (e.getValue().size() > most) {
                most = e.getValue().size();
                largest = e.getKey();
            }
        }
        TreeMap<Long, RequestKey> ofNewcomer = bySource.get(newcomerSource);
        int newcomerHolds = ofNewcomer == null ? 0 : ofNewcomer.size();
        // Only a sender holding more than the newcomer's would after it gives way, so two equal
        // senders do not take turns displacing each other.
        if (largest < 0 || most <= newcomerHolds + 1) {
            return false;
        }
        RequestKey victimKey = bySource.get(largest).lastEntry().getValue();
        ClientRequest victim = forwarded.get(victimKey).request();
        ArrayDeque<ClientRequest> ofClient = byClient.get(victimKey.clientId());
        ofClient.remove(victim);
        if (ofClient.isEmpty()) {
            byClient.remove(victimKey.clientId());
        }
        remove(victim);
        return true;
    }

    private void remove(ClientRequest r) {
        RequestKey key = RequestKey.of(r);
        queued.remove(key);
        queuedBytes -= r.size();
        Arrival arrival = forwarded.remove(key);
        if (arrival != null) {
            TreeMap<Long, RequestKey> ofSource = bySource.get(arrival.source());
            ofSource.remove(arrival.stamp());
            if (ofSource.isEmpty()) {
                bySource.remove(arrival.source());
            }
        }
    }
}
