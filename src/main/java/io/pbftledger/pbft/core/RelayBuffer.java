package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A backup's requests for the primary: those submitted since the last Ready (sent as one FORWARD)
 * and those relayed but not yet seen in a pre-prepare (re-forwarded on retransmission). Bounded:
 * the oldest relayed request is forgotten first (its client will re-submit).
 */
final class RelayBuffer {
    private final int maxRelayed;
    private final LinkedHashMap<RequestKey, ClientRequest> outgoing = new LinkedHashMap<>();
    private final LinkedHashMap<RequestKey, ClientRequest> relayed = new LinkedHashMap<>();

    RelayBuffer(int maxRelayed) {
        this.maxRelayed = maxRelayed;
    }

    void add(ClientRequest request) {
        RequestKey key = RequestKey.of(request);
        outgoing.putIfAbsent(key, request);
        relayed.putIfAbsent(key, request);
        if (relayed.size() > maxRelayed) {
            Iterator<RequestKey> oldest = relayed.keySet().iterator();
            RequestKey gone = oldest.next();
            oldest.remove();
            outgoing.remove(gone);
        }
    }

    /** The request was ordered (seen in a pre-prepare or a certified batch). */
    void ordered(ClientRequest request) {
        if (relayed.isEmpty()) {
            return;
        }
        RequestKey key = RequestKey.of(request);
        relayed.remove(key);
        outgoing.remove(key);
    }

    /** A new primary: forward every relayed request again, at the next Ready. */
    void forwardAllAgain() {
        outgoing.putAll(relayed);
    }

    /** This replica became primary: it takes the relayed requests into its own queue. */
    List<ClientRequest> drainRelayed() {
        List<ClientRequest> out = new ArrayList<>(relayed.values());
        relayed.clear();
        outgoing.clear();
        return out;
    }

    boolean hasOutgoing() {
        return !outgoing.isEmpty();
    }

    List<ClientRequest> drainOutgoing() {
        List<ClientRequest> out = new ArrayList<>(outgoing.values());
        outgoing.clear();
        return out;
    }

    /** Forgets relayed requests that were executed meanwhile and returns the rest, oldest first. */
    List<ClientRequest> unexecuted(ExecutedRequests executed) {
        relayed.values().removeIf(r -> executed.isExecuted(r.clientId(), r.nonce()));
        return new ArrayList<>(relayed.values());
    }

    int size() {
        return relayed.size();
    }
}
