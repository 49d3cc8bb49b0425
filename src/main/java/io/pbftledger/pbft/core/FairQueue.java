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
 * another client's request by more than one request per waiting client. When the queue is full, a
 * newcomer displaces the newest request of the client holding the most, as long as that client
 * holds more than the newcomer's: a flood only ever costs the flooder. Deterministic: the rotation
 * is the order in which clients started waiting.
 */
final class FairQueue {
    /** What {@link #add} did. */
    enum Added { QUEUED, QUEUED_DISPLACING_ANOTHER, REFUSED }

    private final int maxQueued;
    /** Clients in rotation order; the head is served next. Each holds its requests in arrival order. */
    private final LinkedHashMap<String, ArrayDeque<ClientRequest>> byClient = new LinkedHashMap<>();
    private final Set<RequestKey> queued = new HashSet<>();
    private long queuedBytes;

    FairQueue(int maxQueued) {
        Invariants.check(maxQueued > 0, "maxQueued must be positive");
        this.maxQueued = maxQueued;
    }

    boolean contains(RequestKey key) {
        return queued.contains(key);
    }

    int size() {
        return queued.size();
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    long bytes() {
        return queuedBytes;
    }

    Added add(RequestKey key, ClientRequest request) {
        Invariants.check(!queued.contains(key), "request queued twice");
        Added result = Added.QUEUED;
        if (queued.size() >= maxQueued) {
            if (!displaceFromLargest(key.clientId())) {
                return Added.REFUSED;
            }
            result = Added.QUEUED_DISPLACING_ANOTHER;
        }
        byClient.computeIfAbsent(key.clientId(), c -> new ArrayDeque<>()).addLast(request);
        queued.add(key);
        queuedBytes += request.size();
        return result;
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
        queuedBytes = 0;
        return out;
    }

    private boolean displaceFromLargest(String newcomer) {
        String largest = null;
        int most = 0;
        for (Map.Entry<String, ArrayDeque<ClientRequest>> e : byClient.entrySet()) {
            if (e.getValue().size() > most) {
                most = e.getValue().size();
                largest = e.getKey();
            }
        }
        ArrayDeque<ClientRequest> newcomerQueue = byClient.get(newcomer);
        int newcomerHolds = newcomerQueue == null ? 0 : newcomerQueue.size();
        // Only a strictly larger holder gives way, and only its newest request: it waited least.
        if (largest == null || most <= newcomerHolds + 1) {
            return false;
        }
        ArrayDeque<ClientRequest> victims = byClient.get(largest);
        remove(victims.pollLast());
        if (victims.isEmpty()) {
            byClient.remove(largest);
        }
        return true;
    }

    private void remove(ClientRequest r) {
        queued.remove(RequestKey.of(r));
        queuedBytes -= r.size();
    }
}
