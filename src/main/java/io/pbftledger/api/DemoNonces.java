package io.pbftledger.api;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Fresh nonces for demo signing: microseconds since the epoch, bumped past the last one handed out,
 * so they are unique on this replica and (practically) across restarts. They stay below 2^53 until
 * the year 2255.
 */
final class DemoNonces {
    private final LongSupplier clockMillis;
    private final AtomicLong last = new AtomicLong();

    DemoNonces(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    long next() {
        long now = clockMillis.getAsLong() * 1000;
        return last.updateAndGet(previous -> Math.max(previous + 1, now));
    }
}
