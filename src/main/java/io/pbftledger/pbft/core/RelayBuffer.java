package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A backup's requests for the primary: those submitted since the last Ready (sent as one FORWARD)
 * and those relayed but not yet seen in a pre-prepare (re-forwarded on retransmission).
 *
 * <p>Requests this replica accepted itself (or took over from its own queue or log) are <em>held</em>:
 * kept until ordered, however many, since its mempool bounds them and nobody else may remember them.
 * Requests other replicas forwarded to it are kept within {@code maxForwarded} (at least n times the
 * mempool bound, which honest replicas never exceed); beyond it the oldest forwarded one is forgotten
 * (its sender still holds it), or the newcomer when none is left to forget.
 */
final class RelayBuffer {
    private final int maxForwarded;
    private final LinkedHashMap<RequestKey, ClientRequest> outgoing = new LinkedHashMap<>();
    private final LinkedHashMap<RequestKey, ClientRequest> relayed = new LinkedHashMap<>();
    /** The relayed requests that other replicas forwarded here, oldest first (the rest are held). */
    private final LinkedHashSet<RequestKey> forwarded = new LinkedHashSet<>();

    RelayBuffer(int maxForwarded) {
        Invariants.check(maxForwarded > 0, "maxForwarded must be positive");
        this.maxForwarded = maxForwarded;
    }

    /** A request held here: kept until ordered. */
    void add(ClientRequest request) {
        add(request, true);
    }

    /**
     * Adds a request, held here or forwarded by another replica. Returns false when a forwarded
     * request had to be forgotten to stay within the bound (the newcomer or the oldest forwarded one).
     */
    boolean add(ClientRequest request, boolean held) {
        RequestKey key = RequestKey.of(request);
        if (relayed.containsKey(key)) {
            if (held) {
                forwarded.remove(key); // now in this replica's own care
            }
            // Sent again at the next Ready: a replica whose timer expired shares what it waits for.
            outgoing.putIfAbsent(key, request);
            return true;
        }
        if (!held && forwarded.size() >= maxForwarded) {
            if (forwarded.isEmpty()) {
                return false;
            }
            Iterator<RequestKey> oldest = forwarded.iterator();
            RequestKey gone = oldest.next();
            oldest.remove();
            relayed.remove(gone);
            outgoing.remove(gone);
            put(key, request, false);
            return false;
        }
        put(key, request, held);
        return true;
    }

    private void put(RequestKey key, ClientRequest request, boolean held) {
        outgoing.put(key, request);
        relayed.put(key, request);
        if (!held) {
            forwarded.add(key);
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
        forwarded.remove(key);
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
        forwarded.clear();
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
        relayed.values().removeIf(r -> {
            if (executed.isExecuted(r.clientId(), r.nonce())) {
                forwarded.remove(RequestKey.of(r));
                return true;
            }
            return false;
        });
        return new ArrayList<>(relayed.values());
    }

    int size() {
        return relayed.size();
    }

    /** Relayed requests that other replicas forwarded here. */
    int forwardedSize() {
        return forwarded.size();
    }
}
