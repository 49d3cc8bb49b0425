package io.pbftledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutedPairFilterTest {

    @Test
    void everyAddedPairIsReportedAcrossGrowthAndFreshPairsRarelyAre() {
        ExecutedPairFilter filter = new ExecutedPairFilter(1_000, 1L << 20);
        for (long nonce = 0; nonce < 20_000; nonce++) {
            filter.add("client-" + (nonce % 7), nonce);
        }

        for (long nonce = 0; nonce < 20_000; nonce++) {
            assertThat(filter.mightContain("client-" + (nonce % 7), nonce)).as("pair %d", nonce).isTrue();
        }
        assertThat(filter.generations()).as("1k, 2k, 4k, 8k, 16k").isEqualTo(5);
        int falsePositives = 0;
        for (long nonce = 0; nonce < 20_000; nonce++) {
            if (filter.mightContain("client-" + (nonce % 7), nonce + 1_000_000)) {
                falsePositives++;
            }
        }
        // Each of 5 generations answers 1% wrongly at most when full; 5% of 20k is the worst case.
        assertThat(falsePositives).isLessThan(1_000);
    }

    @Test
    void theClientIdAndTheNonceBothDistinguishAPair() {
        ExecutedPairFilter filter = new ExecutedPairFilter(1_000, 1L << 20);
        filter.add("alice", 1);

        assertThat(filter.mightContain("alice", 1)).isTrue();
        assertThat(filter.mightContain("alice", 2)).isFalse();
        assertThat(filter.mightContain("bob", 1)).isFalse();
    }

    @Test
    void pastItsMemoryBoundTheNewestFilterAbsorbsPairsAndStillReportsEveryOne() {
        ExecutedPairFilter filter = new ExecutedPairFilter(1_000, 4_000);
        for (long nonce = 0; nonce < 10_000; nonce++) {
            filter.add("c", nonce);
        }

        assertThat(filter.bytes()).isLessThanOrEqualTo(4_000);
        assertThat(filter.generations()).as("1k pairs (1.2 kB) then 2k (2.4 kB); 4k would pass the bound").isEqualTo(2);
        for (long nonce = 0; nonce < 10_000; nonce++) {
            assertThat(filter.mightContain("c", nonce)).isTrue();
        }
        assertThat(filter.pairs()).isEqualTo(10_000);
    }

    @Test
    void aFilterWithoutCapacityOrMemoryIsRefused() {
        assertThatThrownBy(() -> new ExecutedPairFilter(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExecutedPairFilter(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
