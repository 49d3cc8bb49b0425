package io.pbftledger.transport;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The request-body bytes each replica has in flight at this one at once: reserved when an
 * authenticated request declares its length (before any byte is read), released when the request is
 * done. A reservation that would take a peer over its bound is refused, so what one replica can make
 * another hold is bounded whatever it sends concurrently. Thread-safe.
 */
final class PeerInFlightBytes {
    private final long perPeerMaxBytes;
    private final AtomicLongArray held;

    PeerInFlightBytes(int peers, long perPeerMaxBytes) {
        if (peers < 1 || perPeerMaxBytes < 1) {
            throw new IllegalArgumentException("peers and the per-peer bound must be positive");
        }
        this.perPeerMaxBytes = perPeerMaxBytes;
        this.held = new AtomicLongArray(peers);
    }

    long perPeerMaxBytes() {
        return perPeerMaxBytes;
    }

    /** Bytes {@code peer} holds now. */
    long held(int peer) {
        return held.get(peer);
    }

    /** Reserves {@code bytes} for {@code peer}; false (nothing reserved) when that would exceed its bound. */
    boolean reserve(int peer, long bytes) {
        while (true) {
            long now = held.get(peer);
            if (now + bytes > perPeerMaxBytes) {
                return false;
            }
            if (held.compareAndSet(peer, now, now + bytes)) {
                return true;
            }
        }
    }

    void release(int peer, long bytes) {
        held.addAndGet(peer, -bytes);
    }
}
