package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A backup's requests for the primary: those submitted since the last Ready (sent as one FORWARD)
 * and those relayed but not yet seen in a pre-prepare (re-forwarded on retransmission).
 *
 * <p>Requests this replica accepted itself (or took over from its own queue or log) are <em>held</em>:
 * kept until ordered, however many, since its mempool bounds them and nobody else may remember them.
 * Requests other replicas forwarded to it are kept within {@code maxForwarded} (at least n times the
 * mempool bound, which honest replicas never exceed); beyond it the oldest forwarded one is forgotten
 * (its sender still holds it), or the newcomer when none is left to forget.
 *
 * <p>A relayed request not seen in a pre-prepare within the retransmit interval is forwarded again
 * ({@link #resendDue}), even while other batches commit: a FORWARD lost on the way (a full peer
 * queue) must not leave an accepted request waiting for a quiet moment that a loaded cluster never has.
 *
 * <p>Each relayed request also ages on its own ({@link #oldestWaitingSinceMs}), from when this replica
 * first learned of it: a primary that keeps ordering other clients' requests but never this one
 * cannot keep the backup's request timer from expiring. The clock of a request restarts when the
 * primary orders another request of the same client that this replica learned of no later (or never
 * saw): a client's requests queue behind each other at the primary (FIFO per client), so one that
 * sent many at once is served, not censored, while its older requests are ordered.
 */
final class RelayBuffer {
    /** A relayed request and when it was last handed out for forwarding. */
    private record Relayed(ClientRequest request, long sentAtMs, long sinceMs) {
        Relayed sentAt(long ms) {
            return new Relayed(request, ms, sinceMs);
        }
    }

    /** The latest request of a client ordered while others of it waited here: when, and since when it was known. */
    private record Ordered(long atMs, long seenSinceMs) {
    }

    private final int maxForwarded;
    private final LinkedHashMap<RequestKey, ClientRequest> outgoing = new LinkedHashMap<>();
    /** Ordered by when each was last sent, oldest first. */
    private final LinkedHashMap<RequestKey, Relayed> relayed = new LinkedHashMap<>();
    /** For the time ({@code now}), which never goes backwards. */
    private final ReplicaContext ctx;
    /** Hears how long each relayed request waited before the primary ordered it. */
    private final ViewTimer timer;
    /** The relayed requests that other replicas forwarded here, oldest first (the rest are held). */
    private final LinkedHashSet<RequestKey> forwarded = new LinkedHashSet<>();
    /** Per client with relayed requests, its latest ordered request; sorted, pruned to waiting clients. */
    private final TreeMap<String, Ordered> lastOrdered = new TreeMap<>();

    RelayBuffer(ReplicaContext ctx, int maxForwarded, ViewTimer timer) {
        Invariants.check(maxForwarded > 0, "maxForwarded must be positive");
        this.ctx = ctx;
        this.timer = timer;
        this.maxForwarded = maxForwarded;
    }

    /** A request held here: kept until ordered. */
    void add(ClientRequest request) {
        add(request, true, true);
    }

    /**
     * Adds a request, held here or forwarded by another replica, and forwards it at the next Ready
     * when {@code send}. Returns false when a forwarded request had to be forgotten to stay within
     * the bound (the newcomer or the oldest forwarded one).
     *
     * <p>{@code send} is false for a request forwarded here by the very replica it would be relayed
     * to: that replica holds it (a replica keeps what it forwards until it is ordered), so sending it
     * back tells it nothing and closes a loop. Two replicas that take each other for the primary (one
     * still in the last view of an epoch, its boundary checkpoint not yet stable there, the other
     * already in the next epoch, whose first primary is the first one) bounced every request they
     * relayed between them for as long as that lasted, and every copy of a FORWARD on the way (a
     * network duplicate, a replaying member's copies) became a loop of its own: in the simulator one
     * replica's journal queue filled with 4,096 Readies of FORWARDs within 60 ms (seed 920850,
     * RECONFIG). The edge's replay window drops exact copies, but it may be 0 and lets through
     * FORWARDs that differ.
     */
    boolean add(ClientRequest request, boolean held, boolean send) {
        RequestKey key = RequestKey.of(request);
        if (relayed.containsKey(key)) {
            if (held) {
                forwarded.remove(key); // now in this replica's own care
            }
            if (send) {
                // Sent again at the next Ready: a replica whose timer expired shares what it waits for.
                outgoing.putIfAbsent(key, request);
            }
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
            put(key, request, false, send);
            return false;
        }
        put(key, request, held, send);
        return true;
    }

    private void put(RequestKey key, ClientRequest request, boolean held, boolean send) {
        if (send) {
            outgoing.put(key, request);
        }
        relayed.put(key, new Relayed(request, ctx.now, ctx.now));
        if (!held) {
            forwarded.add(key);
        }
    }

    /** The request was ordered (seen in a pre-prepare or a certified batch). */
    void ordered(ClientRequest request) {
        // A reference's client and nonce are hints no signature binds: they never settle a relay.
        if (relayed.isEmpty() || request.isReference()) {
            return;
        }
        RequestKey key = RequestKey.of(request);
        Relayed was = relayed.remove(key);
        outgoing.remove(key);
        forwarded.remove(key);
        if (was != null) {
            timer.ordered(ctx.now, was.sinceMs());
        }
        // Unknown here: it counts as older than every waiting request of its client.
        lastOrdered.put(request.clientId(), new Ordered(ctx.now, was == null ? Long.MIN_VALUE : was.sinceMs()));
    }

    /**
     * The earliest time from which a relayed request has been waiting to be ordered, or -1 when none
     * waits: per request, when this replica learned of it, or the latest time the primary ordered an
     * older request of the same client, whichever is later.
     */
    long oldestWaitingSinceMs() {
        long oldest = Long.MAX_VALUE;
        for (Relayed r : relayed.values()) {
            long since = r.sinceMs();
            Ordered o = lastOrdered.get(r.request().clientId());
            if (o != null && o.seenSinceMs() <= since) {
                since = Math.max(since, o.atMs());
            }
            oldest = Math.min(oldest, since);
        }
        if (lastOrdered.size() > relayed.size()) {
            HashSet<String> waiting = new HashSet<>();
            relayed.values().forEach(r -> waiting.add(r.request().clientId()));
            lastOrdered.keySet().retainAll(waiting);
        }
        return oldest == Long.MAX_VALUE ? -1 : oldest;
    }

    /** A new primary: forward every relayed request again, at the next Ready. */
    void forwardAllAgain() {
        relayed.forEach((key, r) -> outgoing.putIfAbsent(key, r.request()));
    }

    /**
     * Forwards again, at the next Ready, every relayed request last sent {@code intervalMs} or more ago
     * and before the latest progress: others committed meanwhile, so the primary works but has not
     * ordered it (its FORWARD may have been lost). Without progress the retransmitter re-sends, with
     * back-off.
     */
    void resendDue(long intervalMs) {
        List<Map.Entry<RequestKey, Relayed>> due = new ArrayList<>();
        for (Map.Entry<RequestKey, Relayed> e : relayed.entrySet()) {
            long sentAt = e.getValue().sentAtMs();
            if (ctx.now - sentAt < intervalMs || ctx.lastProgressMs <= sentAt) {
                break; // oldest first: the rest were sent later
            }
            due.add(e);
        }
        for (Map.Entry<RequestKey, Relayed> e : due) {
            ClientRequest request = e.getValue().request();
            relayed.remove(e.getKey());
            relayed.put(e.getKey(), e.getValue().sentAt(ctx.now));
            outgoing.putIfAbsent(e.getKey(), request);
        }
    }

    /** Every relayed request was just forwarded again (by the retransmitter). */
    void markAllSent() {
        relayed.replaceAll((key, r) -> r.sentAt(ctx.now));
    }

    /** This replica became primary: it takes the relayed requests into its own queue. */
    List<ClientRequest> drainRelayed() {
        List<ClientRequest> out = requests();
        relayed.clear();
        outgoing.clear();
        forwarded.clear();
        lastOrdered.clear();
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
            if (executed.isExecuted(r.request().clientId(), r.request().nonce())) {
                forwarded.remove(RequestKey.of(r.request()));
                return true;
            }
            return false;
        });
        return requests();
    }

    /** The relayed requests, oldest first, left in place. */
    List<ClientRequest> requests() {
        List<ClientRequest> out = new ArrayList<>(relayed.size());
        relayed.values().forEach(r -> out.add(r.request()));
        return out;
    }

    int size() {
        return relayed.size();
    }

    /** Relayed requests that other replicas forwarded here. */
    int forwardedSize() {
        return forwarded.size();
    }
}
