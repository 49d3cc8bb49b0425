package io.pbftledger.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one run, as printed and as written by {@code --json}.
 *
 * @param throughputTps committed transactions seen during the run per second, from the first send to the last commit
 * @param committed     transactions found exactly once in the chain after the run
 * @param duplicated    transactions found more than once (must be 0)
 * @param lost          transactions a replica accepted (or might have: an answer lost on the way) but not found in the chain
 * @param neverAccepted transactions not in the chain whose every attempt was refused outright (429 until the run
 *                      stopped retrying, or a 4xx): backpressure, not a loss
 */
public record BenchResult(int replicas, int clients, int transactions, int sent, int committed, int duplicated, int lost,
                          int neverAccepted,
                          double elapsedSeconds, double throughputTps, Latency latencyMs, long blocks, long blockTransactions,
                          long foreignTransactions, Map<String, Long> errors, Settings settings) {

    public BenchResult {
        errors = new TreeMap<>(errors);
    }

    /** Submit-to-commit latency in milliseconds. */
    public record Latency(double p50, double p90, double p99, double max) {
    }

    /** How the load was offered. */
    public record Settings(int concurrency, int payloadBytes, int batchSize, double ratePerSecond, Double durationSeconds,
                           int warmupTransactions) {
    }

    /** Exit status of the command: every transaction sent committed exactly once. */
    public boolean exactlyOnce() {
        return lost == 0 && duplicated == 0;
    }
}
