package io.pbftledger.transport;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Freshness of signed peer requests ({@link PeerRequestSignature}): a nonce (microseconds since the
 * epoch at the sender) must lie within the window of this replica's clock, and above the last one
 * accepted from the same sender. One long per replica; after a restart the window alone bounds what
 * an old request could still do. Thread-safe.
 */
final class PeerNonces {
    private final long windowMicros;
    private final LongSupplier microsClock;
    private final AtomicLongArray highest;

    PeerNonces(int n, long windowMs, LongSupplier microsClock) {
        if (n < 1 || windowMs < 1) {
            throw new IllegalArgumentException("n and the window must be positive");
        }
        this.windowMicros = windowMs * 1_000;
        this.microsClock = microsClock;
        this.highest = new AtomicLongArray(n);
    }

    long windowMs() {
        return windowMicros / 1_000;
    }

    /** Why {@code nonce} from {@code sender} cannot be accepted, or empty. Takes nothing. */
    Optional<String> stale(int sender, long nonce) {
        long now = microsClock.getAsLong();
        if (nonce < now - windowMicros || nonce > now + windowMicros) {
            return Optional.of("nonce " + nonce + " is " + Math.abs(now - nonce) / 1_000 + " ms away from this replica's clock, "
                    + "outside the window of " + windowMs() + " ms (ledger.peer.auth-window-ms): a replayed request, "
                    + "or the replicas' clocks are apart");
        }
        long last = highest.get(sender);
        if (nonce <= last) {
            return Optional.of("nonce " + nonce + " is not above " + last
                    + ", the last one accepted from replica " + sender + ": a replayed request");
        }
        return Optional.empty();
    }

    /** Takes {@code nonce} as the last one accepted from {@code sender}; false when it is not above the last one (any more). */
    boolean take(int sender, long nonce) {
        while (true) {
            long last = highest.get(sender);
            if (nonce <= last) {
                return false;
            }
            if (highest.compareAndSet(sender, last, nonce)) {
                return true;
            }
        }
    }
}
