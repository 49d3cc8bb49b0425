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
    private static final long FLOOD_MILLIS = 3_000;
    private static final int FLOOD_MAX_SUBMISSIONS = 20_000;
    private static final int STEADY_TRANSACTIONS = 40;
    private static final long STEADY_INTERVAL_MILLIS = 50;
    /** Bound on a steady transaction's submit-to-commit time while the flood runs. */
    private static final long STEADY_LATENCY_MAX_MILLIS = 3_000;
    private static InProcessCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InProcessCluster(2, () -> ClientAdmission.of(new TokenBuckets.Limit(100, 100), 1_000, System::nanoTime));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aFloodingClientGetsRateLimitedWhileAnotherClientsTransactionsKeepCommitting() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        Set<Digest> accepted = ConcurrentHashMap.newKeySet();
        Thread flooder = new Thread(() -> {
            long deadline = System.currentTimeMillis() + FLOOD_MILLIS;
            for (int i = 0; i < FLOOD_MAX_SUBMISSIONS && System.currentTimeMillis() < deadline; i++) {
                Transaction t = cluster.tx(FLOODER, i, "{\"flood\":" + i + "}");
                try {
                    cluster.node(i % InProcessCluster.N).service().submit(t);
                    accepted.add(t.txId());
                } catch (RateLimitedException e) {
                    refused.incrementAndGet();
                }
            }
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
        CompletableFuture.allOf(latencies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long worst = latencies.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
        assertThat(worst).as("worst steady submit-to-commit time in ms").isLessThan(STEADY_LATENCY_MAX_MILLIS);

        flooder.join(FLOOD_MILLIS + 10_000);
        assertThat(refused.get()).as("the flood was refused").isPositive();
        // At most burst + rate x time per replica were admitted.
        assertThat(accepted.size()).isLessThanOrEqualTo(InProcessCluster.N * (100 + 100 * (int) (FLOOD_MILLIS / 1_000 + 2)));

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
