package io.pbftledger.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human-readable report of a run. Its last line is a public contract that scripts parse:
 * {@code throughput_tps=<x> p50_ms=<x> p99_ms=<x> committed=<n> lost=<n>}.
 */
public final class BenchReport {
    private BenchReport() {
    }

    public static List<String> lines(BenchResult r) {
        List<String> lines = new ArrayList<>();
        BenchResult.Settings s = r.settings();
        lines.add(String.format(Locale.ROOT, "sent %d of %d transactions (%d-byte payloads, batch size %d, %s) to %d replicas from %d clients",
                r.sent(), r.transactions(), s.payloadBytes(), s.batchSize(),
                s.ratePerSecond() > 0 ? fmt(s.ratePerSecond()) + " tx/s offered" : "closed loop, " + s.concurrency() + " in flight",
                r.replicas(), r.clients()));
        lines.add(String.format(Locale.ROOT, "elapsed: %.3f s, throughput: %s committed tx/s", r.elapsedSeconds(), fmt(r.throughputTps())));
        BenchResult.Latency l = r.latencyMs();
        lines.add("latency ms: p50=" + fmt(l.p50()) + " p90=" + fmt(l.p90()) + " p99=" + fmt(l.p99()) + " max=" + fmt(l.max()));
        lines.add("chain: " + r.blocks() + " blocks with " + r.blockTransactions() + " transactions (" + r.foreignTransactions()
                + " not from this run); committed exactly once: " + r.committed() + ", more than once: " + r.duplicated()
                + ", lost: " + r.lost() + ", never accepted (refused until the run stopped retrying): " + r.neverAccepted());
        lines.add("errors: " + errors(r.errors()));
        lines.add(finalLine(r));
        return lines;
    }

    /** {@code throughput_tps=<x> p50_ms=<x> p99_ms=<x> committed=<n> lost=<n>}. */
    public static String finalLine(BenchResult r) {
        return "throughput_tps=" + fmt(r.throughputTps()) + " p50_ms=" + fmt(r.latencyMs().p50()) + " p99_ms="
                + fmt(r.latencyMs().p99()) + " committed=" + r.committed() + " lost=" + r.lost();
    }

    static String errors(Map<String, Long> errors) {
        if (errors.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        errors.forEach((kind, count) -> parts.add(kind + ": " + count));
        return String.join(", ", parts);
    }

    /** One decimal, dot as separator whatever the locale. */
    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The result as one JSON document (the {@code --json} file). */
    public static String json(BenchResult r) {
        return LedgerEndpoints.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r);
    }
}
