package io.pbftledger.transport;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The request-body bytes each replica has in flight at this one at once, and all of them together:
 * reserved when an authenticated request declares its length (before any byte is read), released
 * when the request is done. A reservation that would take a peer over its own bound, or all peers
 * over the bound across them, is refused, so what the other replicas can make this one hold is
 * bounded whatever they send concurrently. Thread-safe.
 */
final class PeerInFlightBytes {
    /** How a reservation went. */
    enum Reservation {
        TAKEN,
        /** The peer would exceed its own bound. */
        OVER_PEER,
        /** The peers together would exceed the bound across them. */
        OVER_ALL_PEERS
    }

    private final LongSupplier perPeerMaxBytes;
    private final LongSupplier allPeersMaxBytes;
    private final AtomicLongArray held;
    /** Index {@code peers}: the sum over all peers. */
    private final int total;

    PeerInFlightBytes(int peers, long perPeerMaxBytes, long allPeersMaxBytes) {
        this(peers, () -> perPeerMaxBytes, () -> allPeersMaxBytes);
    }

    /** Bounds read at each reservation: they grow with the replica set ({@link PeerLimits}). */
    PeerInFlightBytes(int peers, LongSupplier perPeerMaxBytes, LongSupplier allPeersMaxBytes) {
        long perPeer = perPeerMaxBytes.getAsLong();
        if (peers < 1 || perPeer < 1 || allPeersMaxBytes.getAsLong() < perPeer) {
            throw new IllegalArgumentException("peers and the per-peer bound must be positive, and the bound over all"
                    + " peers at least the per-peer one");
        }
        this.perPeerMaxBytes = perPeerMaxBytes;
        this.allPeersMaxBytes = allPeersMaxBytes;
        this.held = new AtomicLongArray(peers + 1);
        this.total = peers;
    }

    long perPeerMaxBytes() {
        return perPeerMaxBytes.getAsLong();
    }

    long allPeersMaxBytes() {
        return allPeersMaxBytes.getAsLong();
    }

    /** Bytes {@code peer} holds now. */
    long held(int peer) {
        return held.get(peer);
    }

    /** Bytes all peers hold now. */
    long heldByAll() {
        return held.get(total);
    }

    /** Reserves {@code bytes} for {@code peer} when that keeps it and all peers within their bounds; else nothing. */
    Reservation reserve(int peer, long bytes) {
        if (!add(peer, bytes, perPeerMaxBytes.getAsLong())) {
            return Reservation.OVER_PEER;
        }
        if (!add(total, bytes, allPeersMaxBytes.getAsLong())) {
            held.addAndGet(peer, -bytes);
            return Reservation.OVER_ALL_PEERS;
        }
        return Reservation.TAKEN;
    }

    void release(int peer, long bytes) {
        held.addAndGet(total, -bytes);
        held.addAndGet(peer, -bytes);
    }

    private boolean add(int index, long bytes, long max) {
        while (true) {
            long now = held.get(index);
            if (now + bytes > max) {
                return false;
            }
            if (held.compareAndSet(index, now, now + bytes)) {
                return true;
            }
        }
    }
}
