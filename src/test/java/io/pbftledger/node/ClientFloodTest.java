package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client flooding every replica is held to its rate (429-style refusals) while another client's
 * transactions keep committing with bounded latency, and every transaction the flooder had
 * accepted still commits exactly once.
 */
class ClientFloodTest {
    private static final int FLOODER = 0;
    private static final int STEADY = 1;
    /**
     * Per-client limit at each replica: low enough that even a slow, loaded machine's flooder (a few
     * hundred submissions a second) exceeds it n times over, high enough for the steady client.
     */
    private static final int RATE_PER_SECOND = 20;
    private static final int BURST = 20;
    /** The flood lasts until the steady client is done, at most this long. */
    private static final long FLOOD_MAX_MILLIS = 30_000;
    private static final int STEADY_TRANSACTIONS = 40;
    private static final long STEADY_INTERVAL_MILLIS = 50;
    /** Bound on a steady transaction's submit-to-commit time while the flood runs. */
    private static final long STEADY_LATENCY_MAX_MILLIS = 3_000;
    private static InProcessCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InProcessCluster(2, () -> ClientAdmission.of(new TokenBuckets.Limit(RATE_PER_SECOND, BURST), 1_000,
                System::nanoTime));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aFloodingClientGetsRateLimitedWhileAnotherClientsTransactionsKeepCommitting() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicBoolean steadyDone = new AtomicBoolean(false);
        AtomicInteger refused = new AtomicInteger();
        long[] floodMillis = {0};
        Set<Digest> accepted = ConcurrentHashMap.newKeySet();
        // The flood runs until the steady client has sent everything (not for a fixed number of
        // submissions, which a fast machine finishes before the steady client and a slow one not).
        Thread flooder = new Thread(() -> {
            long start = System.currentTimeMillis();
            for (int i = 0; !steadyDone.get() && System.currentTimeMillis() - start < FLOOD_MAX_MILLIS; i++) {
                Transaction t = cluster.tx(FLOODER, i, "{\"flood\":" + i + "}");
                try {
                    cluster.node(i % InProcessCluster.N).service().submit(t);
                    accepted.add(t.txId());
                } catch (RateLimitedException e) {
                    refused.incrementAndGet();
                }
            }
            floodMillis[0] = System.currentTimeMillis() - start;
            flooding.set(false);
        }, "flooder");
        flooder.start();

        List<CompletableFuture<Long>> latencies = new ArrayList<>();
        for (int i = 0; i < STEADY_TRANSACTIONS; i++) {
            Transaction t = cluster.tx(STEADY, i, "{\"steady\":" + i + "}");
            ReplicaService service = cluster.node(i % InProcessCluster.N).service();
            long submitted = System.nanoTime();
            assertThat(service.submit(t).status()).as("the steady client is never refused").isEqualTo(TxStatus.PENDING);
            latencies.add(service.whenCommitted(t.txId()).thenApply(r -> (System.nanoTime() - submitted) / 1_000_000));
            Thread.sleep(STEADY_INTERVAL_MILLIS);
        }
        assertThat(flooding).as("the steady client's transactions were all sent during the flood").isTrue();
        steadyDone.set(true);
        CompletableFuture.allOf(latencies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long worst = latencies.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
        assertThat(worst).as("worst steady submit-to-commit time in ms").isLessThan(STEADY_LATENCY_MAX_MILLIS);

        flooder.join(FLOOD_MAX_MILLIS + 10_000);
        assertThat(flooder.isAlive()).isFalse();
        assertThat(refused.get()).as("the flood was refused").isPositive();
        // At most burst + rate x time per replica were admitted.
        assertThat(accepted.size())
                .isLessThanOrEqualTo(InProcessCluster.N * (BURST + RATE_PER_SECOND * (int) (floodMillis[0] / 1_000 + 2)));

        // Nothing accepted is dropped: every accepted flood transaction commits, once.
        List<CompletableFuture<SubmitResult>> floodCommits = new ArrayList<>();
        for (Digest id : accepted) {
            floodCommits.add(cluster.node(0).service().whenCommitted(id));
        }
        CompletableFuture.allOf(floodCommits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        InMemoryLedgerStore store = cluster.node(0).store();
        Set<Digest> seen = new HashSet<>();
        int count = 0;
        for (long h = 1; h <= store.latestHeader().height(); h++) {
            for (Transaction t : store.blockByHeight(h).orElseThrow().transactions()) {
                seen.add(t.txId());
                count++;
            }
        }
        assertThat(seen).containsAll(accepted);
        assertThat(count).as("no transaction executed twice").isEqualTo(seen.size());
    }
}
