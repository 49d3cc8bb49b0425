package io.pbftledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.crypto.Ed25519;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness over real HTTP against a ledger that can misbehave on purpose: it counts what
 * committed exactly once, and finds the transactions a ledger loses or commits twice.
 */
@Timeout(60)
class BenchAgainstFakeLedgerTest {
    private static final List<ClientIdentity> CLIENTS = List.of(
            new ClientIdentity("client-0", "fake-chain", Ed25519.PrivateKey.generate(new SecureRandom())),
            new ClientIdentity("client-1", "fake-chain", Ed25519.PrivateKey.generate(new SecureRandom())));

    private static BenchSettings settings(FakeLedger ledger, int transactions, int concurrency, int batchSize, double rate) {
        String url = ledger.url();
        return new BenchSettings(List.of(url, url, url, url), CLIENTS, transactions, 0, concurrency, 64, batchSize, rate, null,
                Duration.ofSeconds(2), 200, 1_000);
    }

    private static BenchResult run(BenchSettings settings) throws Exception {
        return new Bench(settings).run(new PrintWriter(new StringWriter()), null);
    }

    @Test
    void waitingSubmissionsThatAllCommitAreCountedOnceEachWithLatencies() throws Exception {
        try (FakeLedger ledger = FakeLedger.honest()) {
            BenchResult result = run(settings(ledger, 120, 8, 1, 0));

            assertThat(result.sent()).isEqualTo(120);
            assertThat(result.committed()).isEqualTo(120);
            assertThat(result.lost()).isZero();
            assertThat(result.duplicated()).isZero();
            assertThat(result.blocks()).isEqualTo(120);
            assertThat(result.blockTransactions()).isEqualTo(120);
            assertThat(result.errors()).isEmpty();
            assertThat(result.throughputTps()).isPositive();
            assertThat(result.latencyMs().p50()).isPositive().isLessThanOrEqualTo(result.latencyMs().p99());
            assertThat(result.latencyMs().p99()).isLessThanOrEqualTo(result.latencyMs().max());
            assertThat(result.exactlyOnce()).isTrue();
        }
    }

    @Test
    void batchedSubmissionsAreSeenCommittingThroughTheBlockStream() throws Exception {
        try (FakeLedger ledger = FakeLedger.honest()) {
            BenchResult result = run(settings(ledger, 200, 40, 20, 0));

            assertThat(result.committed()).isEqualTo(200);
            assertThat(result.lost()).isZero();
            assertThat(result.settings().batchSize()).isEqualTo(20);
            assertThat(result.latencyMs().max()).isPositive();
        }
    }

    @Test
    void aFixedRateSpreadsTheSendsOverTheExpectedTime() throws Exception {
        try (FakeLedger ledger = FakeLedger.honest()) {
            BenchResult result = run(settings(ledger, 50, 10, 1, 100));

            assertThat(result.committed()).isEqualTo(50);
            // 50 transactions at 100 tx/s: the last is sent about 0.49 s after the first
            assertThat(result.elapsedSeconds()).isGreaterThanOrEqualTo(0.45);
        }
    }

    @Test
    void transactionsTheLedgerNeverCommitsAreResentToTheNextReplicaThenReportedLost() throws Exception {
        try (FakeLedger ledger = new FakeLedger(3, 0, 0, 0)) {
            BenchResult result = run(settings(ledger, 30, 5, 1, 0));

            assertThat(result.sent()).isEqualTo(30);
            assertThat(result.committed()).isEqualTo(27);
            assertThat(result.lost()).isEqualTo(3);
            assertThat(result.exactlyOnce()).isFalse();
            assertThat(BenchReport.finalLine(result)).endsWith(" committed=27 lost=3");
            assertThat(result.errors()).containsKey(WaitingSubmitter.STILL_PENDING);
        }
    }

    /**
     * Transactions that commit after the audit fixed the blocks it walks (the run stopped waiting
     * while the cluster was still committing) are found by walking on, not reported lost.
     */
    @Test
    void transactionsCommittedAfterTheAuditBeganAreFoundNotReportedLost() throws Exception {
        try (FakeLedger ledger = new FakeLedger(3, 0, 0, 0).commitHeldOnFirstLookup()) {
            BenchResult result = run(settings(ledger, 30, 5, 1, 0));

            assertThat(result.committed()).isEqualTo(30);
            assertThat(result.lost()).isZero();
            assertThat(result.exactlyOnce()).isTrue();
            assertThat(result.errors()).doesNotContainKey("audit: replicas disagree about a transaction");
        }
    }

    @Test
    void batchItemsAcceptedButNotCommittedAreResentToTheNextReplicaThenReportedLost() throws Exception {
        try (FakeLedger ledger = new FakeLedger(3, 0, 0, 0)) {
            BenchResult result = run(settings(ledger, 30, 10, 5, 0));

            assertThat(result.committed()).isEqualTo(27);
            assertThat(result.lost()).isEqualTo(3);
            assertThat(result.neverAccepted()).isZero();
            // waitMs is 200 ms and the drain 2 s: each of the 3 was sent again at least once
            assertThat(result.errors().get(BatchingSubmitter.STILL_PENDING)).isGreaterThanOrEqualTo(1L);
            assertThat(ledger.submissionsOf(3)).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
        }
    }

    @Test
    void aTransactionInTwoBlocksIsReportedDuplicatedNotCommitted() throws Exception {
        try (FakeLedger ledger = new FakeLedger(0, 2, 0, 0)) {
            BenchResult result = run(settings(ledger, 20, 20, 10, 0));

            assertThat(result.committed()).isEqualTo(18);
            assertThat(result.duplicated()).isEqualTo(2);
            assertThat(result.lost()).isZero();
            assertThat(result.blockTransactions()).isEqualTo(22);
            assertThat(result.exactlyOnce()).isFalse();
        }
    }

    @Test
    void anOverloadedReplicaIsAskedAgainAndItsRefusalsAreCountedAsErrors() throws Exception {
        try (FakeLedger ledger = new FakeLedger(0, 0, 5, 0)) {
            BenchResult result = run(settings(ledger, 40, 4, 1, 0));

            assertThat(result.committed()).isEqualTo(40);
            assertThat(result.lost()).isZero();
            assertThat(result.errors()).containsExactly(java.util.Map.entry("http 429 Too Many Requests", 5L));
        }
    }

    @Test
    void refusedBatchItemsFailAloneAndCountAsNeverAcceptedNotLost() throws Exception {
        // nonces 1000..1039: 1000, 1010, 1020, 1030 are refused
        try (FakeLedger ledger = new FakeLedger(0, 0, 0, 10)) {
            BenchResult result = run(settings(ledger, 40, 20, 10, 0));

            assertThat(result.committed()).isEqualTo(36);
            assertThat(result.lost()).isZero();
            assertThat(result.neverAccepted()).isEqualTo(4);
            // waitMs is 200 ms here, about the block follower's poll: items may also be sent again (harmless)
            assertThat(result.errors()).containsEntry("rejected 403 Forbidden", 4L)
                    .containsOnlyKeys("rejected 403 Forbidden", BatchingSubmitter.STILL_PENDING);
        }
    }

    @Test
    void batchItemsRefusedForAFullMempoolAreSentAgainNotCountedLost() throws Exception {
        try (FakeLedger ledger = FakeLedger.honest().overloadItems(15)) {
            BenchResult result = run(settings(ledger, 40, 20, 10, 0));

            assertThat(result.committed()).isEqualTo(40);
            assertThat(result.lost()).isZero();
            assertThat(result.neverAccepted()).isZero();
            assertThat(result.errors()).containsEntry("rejected 429 Too Many Requests", 15L)
                    .containsOnlyKeys("rejected 429 Too Many Requests", BatchingSubmitter.STILL_PENDING);
            // Sent again after the batch answer's Retry-After, not at once: a bench that hammers a
            // full replica measures how fast it refuses, not how fast it orders.
            assertThat(ledger.shortestResendNanos()).as("shortest wait before resending a refused item")
                    .isBetween(java.util.concurrent.TimeUnit.SECONDS.toNanos(FakeLedger.ITEM_RETRY_AFTER_SECONDS),
                            Long.MAX_VALUE - 1);
        }
    }

    @Test
    void aReplicaThatIsDownIsLeftOutOfTheAuditAndItsShareGoesToTheOthers() throws Exception {
        try (FakeLedger ledger = FakeLedger.honest(); java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            String down = "http://127.0.0.1:" + closed.getLocalPort();
            closed.close(); // nothing listens there any more: a crashed replica
            String url = ledger.url();
            BenchSettings settings = new BenchSettings(List.of(url, url, url, down), CLIENTS, 60, 0, 6, 64, 1, 0, null,
                    Duration.ofSeconds(2), 200, 1_000);
            StringWriter log = new StringWriter();
            BenchResult result = new Bench(settings).run(new PrintWriter(log), null);

            assertThat(result.committed()).isEqualTo(60);
            assertThat(result.lost()).isZero();
            assertThat(result.exactlyOnce()).isTrue();
            assertThat(log.toString()).contains("audit: " + down + " does not answer").contains("left out of the audit");
            assertThat(result.errors()).doesNotContainKey("audit: replicas did not reach the same height");
        }
    }
}
