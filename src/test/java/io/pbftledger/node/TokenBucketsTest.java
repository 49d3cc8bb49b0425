package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketsTest {
    private static final long SECOND = 1_000_000_000L;
    private final long[] now = {5 * SECOND};

    @Test
    void aKeyMayTakeItsBurstAtOnceThenWaitsForTheRefill() {
        TokenBuckets buckets = new TokenBuckets(new TokenBuckets.Limit(10, 3), 100, () -> now[0]);
        assertThat(buckets.tryTake("a")).isZero();
        assertThat(buckets.tryTake("a")).isZero();
        assertThat(buckets.tryTake("a")).isZero();
        long wait = buckets.tryTake("a");
        // 10 per second: the next token comes after a tenth of a second.
        assertThat(wait).isPositive().isLessThanOrEqualTo(SECOND / 10);
        assertThat(buckets.tryTake("b")).as("another key has its own bucket").isZero();

        now[0] += wait;
        assertThat(buckets.tryTake("a")).isZero();
        assertThat(buckets.tryTake("a")).isPositive();
    }

    @Test
    void checkingTakesNothingAndChargingMayGoIntoDebt() {
        TokenBuckets buckets = new TokenBuckets(new TokenBuckets.Limit(1, 2), 100, () -> now[0]);
        assertThat(buckets.waitNanos("ip")).isZero();
        assertThat(buckets.waitNanos("ip")).isZero();
        buckets.charge("ip");
        buckets.charge("ip");
        buckets.charge("ip");
        // Three charged with a capacity of two: one token of debt, so two seconds until one is free.
        assertThat(buckets.waitNanos("ip")).isGreaterThan(SECOND).isLessThanOrEqualTo(2 * SECOND);
        now[0] += 2 * SECOND;
        assertThat(buckets.waitNanos("ip")).isZero();
    }

    @Test
    void bucketsIdleLongEnoughToBeFullAgainAreForgottenAndTheMapStaysBounded() {
        TokenBuckets buckets = new TokenBuckets(new TokenBuckets.Limit(10, 20), 3, () -> now[0]);
        buckets.tryTake("a");
        buckets.tryTake("b");
        buckets.tryTake("c");
        buckets.tryTake("d");
        assertThat(buckets.size()).as("bounded by maxKeys: the least recently used went").isEqualTo(3);
        now[0] += 2 * SECOND; // 20 tokens at 10/s: full again after two seconds
        buckets.tryTake("e");
        assertThat(buckets.size()).isEqualTo(1);
    }

    @Test
    void aRateOfZeroLimitsNothing() {
        TokenBuckets buckets = new TokenBuckets(TokenBuckets.Limit.UNLIMITED, 1, () -> now[0]);
        for (int i = 0; i < 10_000; i++) {
            assertThat(buckets.tryTake("k" + i)).isZero();
        }
        assertThat(buckets.size()).isZero();
    }

    @Test
    void aRateWithoutABurstIsRefused() {
        assertThatThrownBy(() -> new TokenBuckets.Limit(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBuckets.Limit(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
