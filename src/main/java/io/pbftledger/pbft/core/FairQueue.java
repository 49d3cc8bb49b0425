package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The primary's waiting requests, FIFO per client and served round-robin across clients: a batch
 * takes one request of each waiting client in turn, so a client flooding the primary never delays
 * another client's request by more than one request per waiting client. Deterministic: the rotation
 * is the order in which clients started waiting.
 *
 * <p>Two kinds of request share the queue. A request <em>held here</em> was accepted by this
 * replica's own mempool (or was already in its care, e.g. relayed to it before it became primary):
 * it is always queued and never displaced, because nobody else may remember it; the mempool bounds
 * how many there are. A <em>forwarded</em> request came from another replica, which keeps it until it
 * is ordered; {@code maxForwarded} bounds those. The node sets that bound to at least n times its
 * mempool bound, so honest replicas alone never fill it: only a replica forwarding more than any
 * honest one could have accepted does. Then, as a counted defence, a forwarded newcomer displaces the
 * newest forwarded request of the client holding the most, as long as that client holds more than
 * the newcomer's (a flood only ever costs the flooder), or is refused.
 */
final class FairQueue {
    /** What {@link #add} did. */
    enum Added { QUEUED, QUEUED_DISPLACING_ANOTHER, REFUSED }

    private final int maxForwarded;
    /** Clients in rotation order; the head is served next. Each holds its requests in arrival order. */
    private final LinkedHashMap<String, ArrayDeque<ClientRequest>> byClient = new LinkedHashMap<>();
    private final Set<RequestKey> queued = new HashSet<>();
    /** The queued requests that came from other replicas (the rest are held here). */
    private final Set<RequestKey> forwarded = new HashSet<>();
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

    /** Queues a request forwarded by another replica, within {@code maxForwarded} (see the class comment). */
    Added addForwarded(RequestKey key, ClientRequest request) {
        Invariants.check(!queued.contains(key), "request queued twice");
        Added result = Added.QUEUED;
        if (forwarded.size() >= maxForwarded) {
            if (!displaceFromLargest(key.clientId())) {
                return Added.REFUSED;
            }
            result = Added.QUEUED_DISPLACING_ANOTHER;
        }
        append(key, request);
        forwarded.add(key);
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
        queuedBytes = 0;
        return out;
    }

    private boolean displaceFromLargest(String newcomer) {
        String largest = null;
        int most = 0;
        for (Map.Entry<String, ArrayDeque<ClientRequest>> e : byClient.entrySet()) {
            if (e.getValue().size() > most && newestForwarded(e.getValue()) != null) {
                most = e.getValue().size();
                largest = e.getKey();
            }
        }
        ArrayDeque<ClientRequest> newcomerQueue = byClient.get(newcomer);
        int newcomerHolds = newcomerQueue == null ? 0 : newcomerQueue.size();
        // Only a strictly larger holder gives way, and only its newest forwarded request: it waited least.
        if (largest == null || most <= newcomerHolds + 1) {
            return false;
        }
        ArrayDeque<ClientRequest> victims = byClient.get(largest);
        ClientRequest victim = newestForwarded(victims);
        victims.removeLastOccurrence(victim);
        remove(victim);
        if (victims.isEmpty()) {
            byClient.remove(largest);
        }
        return true;
    }

    private ClientRequest newestForwarded(ArrayDeque<ClientRequest> requests) {
        Iterator<ClientRequest> newestFirst = requests.descendingIterator();
        while (newestFirst.hasNext()) {
            ClientRequest r = newestFirst.next();
            if (forwarded.contains(RequestKey.of(r))) {
                return r;
            }
        }
        return null;
    }

    private void remove(ClientRequest r) {
        RequestKey key = RequestKey.of(r);
        queued.remove(key);
        forwarded.remove(key);
        queuedBytes -= r.size();
    }
}
