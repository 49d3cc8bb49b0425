package io.pbftledger.pbft.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuorumsTest {

    @Test
    void anyTwoQuorumsShareACorrectReplicaAndTheCorrectOnesCanAlwaysFormOne() {
        for (int n = 4; n <= 1_000; n++) {
            Quorums q = new Quorums(n);
            int f = q.f();
            assertThat(3 * f + 1).as("n = %d tolerates f = %d", n, f).isLessThanOrEqualTo(n);
            assertThat(3 * (f + 1) + 1).as("n = %d does not tolerate f + 1", n).isGreaterThan(n);
            assertThat(2 * q.quorum() - n).as("overlap of two quorums at n = %d", n).isGreaterThanOrEqualTo(f + 1);
            assertThat(q.quorum()).as("the n - f correct replicas form a quorum at n = %d", n).isLessThanOrEqualTo(n - f);
            assertThat(2 * (q.quorum() - 1) - n).as("a smaller quorum would not intersect safely at n = %d", n)
                    .isLessThan(f + 1);
            assertThat(q.prepares()).isEqualTo(q.quorum() - 1);
            assertThat(q.weak()).isEqualTo(f + 1);
        }
    }

    @Test
    void whenNIs3fPlus1TheQuorumIsThePapers2fPlus1() {
        for (int f = 1; f <= 300; f++) {
            Quorums q = new Quorums(3 * f + 1);
            assertThat(q.f()).isEqualTo(f);
            assertThat(q.quorum()).isEqualTo(2 * f + 1);
            assertThat(q.prepares()).isEqualTo(2 * f);
        }
    }

    @Test
    void setsBetween3fPlus1SizesNeedLargerQuorums() {
        assertThat(new Quorums(5).quorum()).isEqualTo(4);
        assertThat(new Quorums(6).quorum()).isEqualTo(4);
        assertThat(new Quorums(8).quorum()).isEqualTo(6);
        assertThat(new Quorums(9).quorum()).isEqualTo(6);
    }

    @Test
    void fewerThanFourReplicasAreRefused() {
        assertThatThrownBy(() -> new Quorums(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 4");
    }
}
