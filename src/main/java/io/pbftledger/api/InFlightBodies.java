package io.pbftledger.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The global budget of API request-body bytes held at once ({@code ledger.api.in-flight-body-max-bytes}):
 * each request reserves what it reads before reading it and releases it when it is answered, so
 * however many requests arrive together, their buffered bodies never exceed the budget. Thread-safe.
 */
public final class InFlightBodies {
    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public InFlightBodies(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the in-flight body budget must be at least 1 byte");
        }
        this.maxBytes = maxBytes;
    }

    /** Reserves {@code bytes} if they fit beside what is held; false (and counted) when they do not. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative");
        }
        while (true) {
            long now = held.get();
            if (now + bytes > maxBytes) {
                refused.incrementAndGet();
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        long after = held.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("released more body bytes than were reserved");
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes reserved now, for metrics. */
    public long heldBytes() {
        return held.get();
    }

    /** Requests refused because the budget was full, since start. */
    public long refusedRequests() {
        return refused.get();
    }
}
