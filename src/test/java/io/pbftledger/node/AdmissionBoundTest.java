package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * The mempool admits what the cluster executes in half a view-change timeout, shared among the
 * replicas: a saturated cluster is handed no more than it orders before a backup's request timer.
 */
class AdmissionBoundTest {
    private final long[] now = {10_000};
    /** 4 replicas, T = 2 s: budget 1 s; floor 128, configured maximum 5,000. */
    private final AdmissionBound bound = new AdmissionBound(5_000, 128, 4, 1_000, () -> now[0]);

    private void executeDuringOneSecond(int transactions) {
        for (int i = 0; i < transactions; i++) {
            bound.executed(1);
        }
        now[0] += 1_000;
    }

    @Test
    void aFreshClusterAdmitsTheFloorAndThenWhatItExecutesInTheBudget() {
        assertThat(bound.current()).isEqualTo(128);
        executeDuringOneSecond(3_000);
        assertThat(bound.ratePerSecond()).isEqualTo(3_000);
        // 3,000 tx/s × 1 s / 4 replicas: the 4 mempools together hold one budget's worth.
        assertThat(bound.current()).isEqualTo(750);
        executeDuringOneSecond(650);
        assertThat(bound.current()).as("the best second of the window counts").isEqualTo(750);
    }

    @Test
    void theSecondStillCountingIsNotMeasuredAndABriefStallDoesNotShrinkTheBound() {
        for (int i = 0; i < 2_000; i++) {
            bound.executed(1);
        }
        assertThat(bound.current()).as("the current second is incomplete").isEqualTo(128);
        now[0] += 1_000;
        assertThat(bound.current()).isEqualTo(500);
        now[0] += 3_000; // a GC pause, a checkpoint: three seconds without an execution
        assertThat(bound.current()).isEqualTo(500);
    }

    @Test
    void theRateIsForgottenAfterTheWindowAndNeverExceedsTheMaximum() {
        executeDuringOneSecond(100_000);
        assertThat(bound.current()).isEqualTo(5_000);
        now[0] += AdmissionBound.WINDOW_SECONDS * 1_000L;
        assertThat(bound.current()).isEqualTo(128);
    }

    @Test
    void aFixedBoundIsTheConfiguredMaximumWhateverTheRate() {
        AdmissionBound fixed = AdmissionBound.fixed(1_000);
        assertThat(fixed.current()).isEqualTo(1_000);
        fixed.executed(1_000_000);
        assertThat(fixed.current()).isEqualTo(1_000);
    }

    @Test
    void theMempoolRefusesBeyondTheAdaptedBoundWithTheMeasuredRateInTheReason() {
        AdmissionBound small = new AdmissionBound(1_000, 2, 4, 1_000, () -> now[0]);
        PendingTransactions pending = new PendingTransactions(small, nanos -> { }, ClientAdmission.unlimited());
        Ed25519.PrivateKey key = Ed25519.PrivateKey.generate(new SecureRandom());
        Transaction first = Transaction.sign("q", "alice", 1, "k", "{}", key);
        Transaction second = Transaction.sign("q", "alice", 2, "k", "{}", key);
        Transaction third = Transaction.sign("q", "alice", 3, "k", "{}", key);
        pending.admit(first, first.txId());
        pending.admit(second, second.txId());

        assertThatThrownBy(() -> pending.admit(third, third.txId())).isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("holds 2 accepted, not yet executed transactions")
                .hasMessageContaining("measured 0 tx/s")
                .hasMessageContaining("ledger.mempool.max-transactions = 1000");
        assertThat(pending.size()).isEqualTo(2);
    }
}
