package io.pbftledger.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submit-to-commit latencies of one run, kept exactly (one long per transaction; the run's size is
 * known in advance) and summarized by nearest-rank percentiles.
 */
final class LatencyRecorder {
    private final long[] nanos;
    private final AtomicInteger count = new AtomicInteger();

    LatencyRecorder(int capacity) {
        this.nanos = new long[capacity];
    }

    void record(long latencyNanos) {
        int slot = count.getAndIncrement();
        if (slot >= nanos.length) {
            throw new IllegalStateException("more latencies recorded than transactions in the run (" + nanos.length + ")");
        }
        nanos[slot] = Math.max(0, latencyNanos);
    }

    int count() {
        return Math.min(count.get(), nanos.length);
    }

    /** Percentiles of what was recorded so far; all zero when nothing was. */
    Percentiles percentiles() {
        long[] sorted = Arrays.copyOf(nanos, count());
        Arrays.sort(sorted);
        return Percentiles.of(sorted);
    }

    /** Latency figures in milliseconds. */
    record Percentiles(double p50Ms, double p90Ms, double p99Ms, double maxMs) {
        static final Percentiles NONE = new Percentiles(0, 0, 0, 0);

        /** Nearest rank: the smallest recorded value with at least p of all values at or below it. */
        static Percentiles of(long[] sortedNanos) {
            if (sortedNanos.length == 0) {
                return NONE;
            }
            return new Percentiles(ms(rank(sortedNanos, 0.50)), ms(rank(sortedNanos, 0.90)), ms(rank(sortedNanos, 0.99)),
                    ms(sortedNanos[sortedNanos.length - 1]));
        }

        private static long rank(long[] sorted, double p) {
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        private static double ms(long nanos) {
            return nanos / 1_000_000.0;
        }
    }
}
