package io.pbftledger.bench;

import io.pbftledger.chain.ClientIdentity;
import java.time.Duration;
import java.util.List;

/**
 * One benchmark run: where to send, who signs, how much and how fast.
 *
 * @param replicaUrls        base URLs of all replicas, in id order; transactions are spread over all of them
 * @param clients            client identities that sign, in a fixed order
 * @param transactions       transactions measured
 * @param warmupTransactions transactions sent (the same way) before the clock starts, not measured
 * @param concurrency        transactions in flight at most (submitted and not yet committed)
 * @param payloadBytes       canonical payload size of each transaction
 * @param batchSize          transactions per request: 1 uses {@code POST /transactions?wait=true}, more use {@code /batch}
 * @param ratePerSecond      offered load in transactions per second; 0 keeps {@code concurrency} in flight (closed loop)
 * @param duration           stop sending after this long; null sends all {@code transactions}
 * @param drainTimeout       after sending ends, how long to wait for outstanding commits
 * @param waitMs             {@code waitMs} of each waiting submission
 * @param firstNonce         nonce of the first transaction (warm-up included); each following one adds 1
 */
public record BenchSettings(List<String> replicaUrls, List<ClientIdentity> clients, int transactions, int warmupTransactions,
                            int concurrency, int payloadBytes, int batchSize, double ratePerSecond, Duration duration,
                            Duration drainTimeout, long waitMs, long firstNonce) {
    public static final int TRANSACTIONS_MAX = 10_000_000;
    public static final int CONCURRENCY_MAX = 20_000;
    public static final int BATCH_SIZE_MAX = 1_000;
    public static final long WAIT_MAX_MS = 60_000;

    public BenchSettings {
        replicaUrls = List.copyOf(replicaUrls);
        clients = List.copyOf(clients);
        require(!replicaUrls.isEmpty(), "at least one replica URL is needed");
        require(!clients.isEmpty(), "at least one client identity is needed");
        require(transactions >= 1 && transactions <= TRANSACTIONS_MAX, "transactions must be 1.." + TRANSACTIONS_MAX);
        require(warmupTransactions >= 0 && warmupTransactions <= TRANSACTIONS_MAX, "warm-up transactions must be 0.." + TRANSACTIONS_MAX);
        require(concurrency >= 1 && concurrency <= CONCURRENCY_MAX, "concurrency must be 1.." + CONCURRENCY_MAX);
        require(payloadBytes >= Workload.PAYLOAD_MIN_BYTES && payloadBytes <= Workload.PAYLOAD_MAX_BYTES,
                "payload bytes must be " + Workload.PAYLOAD_MIN_BYTES + ".." + Workload.PAYLOAD_MAX_BYTES);
        require(batchSize >= 1 && batchSize <= BATCH_SIZE_MAX, "batch size must be 1.." + BATCH_SIZE_MAX);
        require(batchSize <= concurrency, "batch size must not exceed concurrency (a batch is in flight as a whole)");
        require(ratePerSecond >= 0 && Double.isFinite(ratePerSecond), "rate must be a finite number >= 0");
        require(duration == null || !duration.isNegative() && !duration.isZero(), "duration must be positive");
        require(drainTimeout != null && !drainTimeout.isNegative(), "drain timeout must not be negative");
        require(waitMs >= 1 && waitMs <= WAIT_MAX_MS, "waitMs must be 1.." + WAIT_MAX_MS);
        require(firstNonce >= 0, "first nonce must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
