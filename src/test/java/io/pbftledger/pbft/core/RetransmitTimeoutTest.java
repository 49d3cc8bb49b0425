package io.pbftledger.pbft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetransmitTimeoutTest {

    @Test
    void theConfiguredIntervalUntilTheFirstSample() {
        assertThat(new RetransmitTimeout(500, 10_000).currentMs()).isEqualTo(500);
    }

    @Test
    void slowSlotsRaiseItToTwiceTheFastestRecentSlot() {
        RetransmitTimeout timeout = new RetransmitTimeout(500, 100_000);
        timeout.sample(1_000);
        assertThat(timeout.currentMs()).isEqualTo(2_000);
        timeout.sample(3_000);
        assertThat(timeout.currentMs()).isEqualTo(2_000);
        timeout.sample(800);
        assertThat(timeout.currentMs()).isEqualTo(1_600);
    }

    @Test
    void slotsThatWaitedForALossDoNotRaiseItWhileOthersGoThroughFast() {
        RetransmitTimeout timeout = new RetransmitTimeout(100, 100_000);
        timeout.sample(80);
        for (int i = 0; i < RetransmitTimeout.WINDOW - 1; i++) {
            timeout.sample(900); // each waited for somebody's retransmission
        }
        assertThat(timeout.currentMs()).isEqualTo(160);
    }

    @Test
    void onlyTheLastWindowOfSlotsCounts() {
        RetransmitTimeout timeout = new RetransmitTimeout(100, 100_000);
        timeout.sample(50);
        for (int i = 0; i < RetransmitTimeout.WINDOW; i++) {
            timeout.sample(2_000); // the load rose: the fast slot has left the window
        }
        assertThat(timeout.currentMs()).isEqualTo(4_000);
        for (int i = 0; i < RetransmitTimeout.WINDOW; i++) {
            timeout.sample(10); // and fell again
        }
        assertThat(timeout.currentMs()).isEqualTo(100);
    }

    @Test
    void neverAboveHalfTheViewChangeTimeoutSoALostMessageGoesAgainBeforeARequestTimerExpires() {
        RetransmitTimeout timeout = new RetransmitTimeout(500, 8_000);
        timeout.sample(60_000);
        assertThat(timeout.currentMs()).isEqualTo(4_000);
        // A floor above half the view-change timeout wins: the configured interval is a minimum.
        RetransmitTimeout high = new RetransmitTimeout(3_000, 2_000);
        high.sample(60_000);
        assertThat(high.currentMs()).isEqualTo(3_000);
    }

    @Test
    void aNegativeSampleCountsAsZeroAndAZeroFloorIsRefused() {
        RetransmitTimeout timeout = new RetransmitTimeout(100, 10_000);
        timeout.sample(-5);
        assertThat(timeout.currentMs()).isEqualTo(100);
        assertThatThrownBy(() -> new RetransmitTimeout(0, 10_000)).isInstanceOf(IllegalStateException.class);
    }
}
