package io.pbftledger.pbft.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The request timer follows what the cluster measures. A request that waited the timeout T is the
 * primary's fault when the view made no progress for T (a primary that stalls or died), or when it
 * waited far longer than the requests the primary did order lately (a primary that skips it). A
 * saturated primary that orders everything in turn, each request after a queueing delay longer than
 * T, is neither: it keeps its view.
 */
class ViewTimerTest {
    private static final long T = 2_000;

    private static ViewTimer enteredAt(long now) {
        ViewTimer timer = new ViewTimer(T);
        timer.viewEntered(now);
        return timer;
    }

    @Test
    void anIdleClusterStillReplacesAPrimaryThatDoesNotOrderARequestWithinTheTimeout() {
        ViewTimer timer = enteredAt(0);
        timer.progressed(100);

        assertThat(timer.requestOverdue(T + 99, 100)).isFalse();
        assertThat(timer.requestOverdue(T + 100, 100)).as("waited T, no progress for T").isTrue();
    }

    @Test
    void aSaturatedPrimaryThatOrdersEveryRequestAfterALongQueueKeepsItsView() {
        ViewTimer timer = enteredAt(0);
        // Under load every request waits about 1.5 T before it is ordered, and batches keep committing.
        long now = 10_000;
        for (long t = 3_000; t <= now; t += 100) {
            timer.ordered(t, t - 3 * T / 2);
            timer.progressed(t);
        }
        assertThat(timer.requestOverdue(now, now - 3 * T / 2 - 400))
                .as("waited a little longer than the others: its turn comes").isFalse();
        assertThat(timer.requestOverdue(now, now - 3 * T + 1)).as("waited under twice what the others did").isFalse();
        assertThat(timer.requestOverdue(now, now - 3 * T)).as("waited twice what the others did: skipped").isTrue();
    }

    @Test
    void aPrimaryThatStopsOrderingIsReplacedAfterTheTimeoutWhateverTheQueueingDelayWas() {
        ViewTimer timer = enteredAt(0);
        for (long t = 3_000; t <= 10_000; t += 100) {
            timer.ordered(t, t - 3 * T / 2);
            timer.progressed(t);
        }
        // The primary dies at 10 s: nothing is delivered any more.
        assertThat(timer.requestOverdue(10_000 + T - 1, 9_000)).as("progress less than T ago").isFalse();
        assertThat(timer.requestOverdue(10_000 + T, 9_000)).as("no progress for T").isTrue();
    }

    @Test
    void aPrimaryThatSlowsEverythingDownCannotStretchTheTimerBeyondEightTimeouts() {
        ViewTimer timer = enteredAt(0);
        long now = 60_000;
        for (long t = 30_000; t <= now; t += 100) {
            timer.ordered(t, t - 20 * T);
            timer.progressed(t);
        }
        assertThat(timer.requestOverdue(now, now - 8 * T + 1)).isFalse();
        assertThat(timer.requestOverdue(now, now - 8 * T)).as("at most 8 T").isTrue();
    }

    @Test
    void whatTheLastViewMeasuredDoesNotCarryIntoTheNextAndOldMeasurementsAgeOut() {
        ViewTimer timer = enteredAt(0);
        for (long t = 3_000; t <= 10_000; t += 100) {
            timer.ordered(t, t - 3 * T / 2);
            timer.progressed(t);
        }
        timer.viewEntered(10_000);
        timer.progressed(12_000);
        assertThat(timer.requestOverdue(10_000 + T + 100, 10_000)).as("nothing measured in this view yet").isTrue();

        ViewTimer aged = enteredAt(0);
        for (long t = 3_000; t <= 10_000; t += 100) {
            aged.ordered(t, t - 3 * T / 2);
            aged.progressed(t);
        }
        // Then the load goes: requests are ordered at once, for two timeouts.
        for (long t = 10_100; t <= 10_100 + 2 * T; t += 100) {
            aged.ordered(t, t - 10);
            aged.progressed(t);
        }
        long now = 10_100 + 2 * T;
        assertThat(aged.requestOverdue(now, now - T)).as("the long delays of the past no longer count").isTrue();
    }

    @Test
    void aDelayMeasuredFromBeforeTheViewWasEnteredCountsFromTheViewsStart() {
        ViewTimer timer = enteredAt(10_000);
        // Learned of long before the view began, ordered right after it did.
        timer.ordered(10_100, 0);
        timer.progressed(12_000);
        long now = 10_100 + T;
        assertThat(timer.requestOverdue(now - 100, 10_050)).isFalse();
        assertThat(timer.requestOverdue(now, 10_050)).as("the backlog of the view change is not a measure").isTrue();
    }
}
