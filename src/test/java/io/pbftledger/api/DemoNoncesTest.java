package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Transaction;
import org.junit.jupiter.api.Test;

class DemoNoncesTest {

    @Test
    void noncesAreMicrosecondsOfTheClockAndStrictlyIncreasingEvenWhenTheClockStandsStill() {
        DemoNonces nonces = new DemoNonces(() -> 1_767_225_600_000L);
        assertThat(nonces.next()).isEqualTo(1_767_225_600_000_000L);
        assertThat(nonces.next()).isEqualTo(1_767_225_600_000_001L);
        assertThat(nonces.next()).isEqualTo(1_767_225_600_000_002L);
    }

    @Test
    void noncesNeverGoBackwardsWhenTheClockDoes() {
        long[] now = {2_000_000L};
        DemoNonces nonces = new DemoNonces(() -> now[0]);
        long first = nonces.next();
        now[0] = 1_000_000L;
        assertThat(nonces.next()).isEqualTo(first + 1);
    }

    @Test
    void noncesOfTodayAreValidTransactionNonces() {
        long nonce = new DemoNonces(System::currentTimeMillis).next();
        assertThat(nonce).isPositive().isLessThanOrEqualTo(Transaction.MAX_NONCE);
    }
}
