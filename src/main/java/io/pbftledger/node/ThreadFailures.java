package io.pbftledger.node;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unexpected throwables (an {@link OutOfMemoryError} included) that the replica's own threads
 * caught at the top of their loops, counted by kind of thread for the metric
 * {@code pbft_thread_failures_total{thread}}. The thread that caught one logs it at ERROR and goes
 * on (a sender, state transfer) or stops and takes readiness DOWN (consensus, journal, execution: the
 * pipeline stages, see {@link PipelineFailure}). Thread-safe.
 */
public final class ThreadFailures {

    /** The replica's long-running threads. */
    public enum Kind {
        /** pbft-consensus: the pure core. */
        CONSENSUS,
        /** pbft-journal: journal appends (grouped fdatasync), then sending what they promise. */
        JOURNAL,
        /** pbft-execute: executing and storing committed batches, checkpoints. */
        EXECUTION,
        /** pbft-send-i: one per peer. */
        SENDER,
        /** pbft-state-transfer. */
        STATE_TRANSFER;

        /** The metric tag: consensus, sender, state-transfer. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);

    public ThreadFailures() {
        for (Kind kind : Kind.values()) {
            counts.put(kind, new AtomicLong());
        }
    }

    public void record(Kind kind) {
        counts.get(kind).incrementAndGet();
    }

    public long count(Kind kind) {
        return counts.get(kind).get();
    }
}
