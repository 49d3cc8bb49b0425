package io.pbftledger.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.transport.PeerLimits;
import org.junit.jupiter.api.Test;

/**
 * The largest peer message, a NEW-VIEW, holds a quorum of VIEW-CHANGEs, so it grows with the replica
 * set: limits sized for the genesis set of 4 refused the NEW-VIEW a set of 5 may send (quorum 4, not 3).
 * The limits follow the largest set of the newest two epochs, and never shrink while running.
 */
class PeerLimitsTest {
    private static final LedgerProperties PROPS = LedgerProperties.defaults();

    @Test
    void aLargerSetGrowsEveryLimitToTheLargestNewViewItMaySend() {
        PeerLimits limits = new PeerLimits(n -> PeerBodyLimit.endpoint(PROPS, n), 4);
        long newViewOfFive = MessageCodec.viewChangeMaxBytes(5, PROPS.watermarkWindow(), PROPS.batch().maxTransactions());
        assertThat(limits.bodies().viewChange()).as("sized for 4, a set of 5's NEW-VIEW does not fit")
                .isLessThan(newViewOfFive);
        long inFlightBefore = limits.current().inFlightAllPeers();

        assertThat(limits.grow(5)).isTrue();
        assertThat(limits.setSize()).isEqualTo(5);
        assertThat(limits.bodies().viewChange()).isGreaterThanOrEqualTo(newViewOfFive);
        assertThat(limits.current().codecLimits().maxTotalBytes()).isEqualTo(limits.bodies().largest());
        assertThat(limits.current().inFlightAllPeers()).isGreaterThan(inFlightBefore);

        assertThat(limits.grow(4)).as("never shrinks while a larger set's messages may be in flight").isFalse();
        assertThat(limits.setSize()).isEqualTo(5);
    }
}
