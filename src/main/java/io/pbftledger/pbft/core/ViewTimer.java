package io.pbftledger.pbft.core;

/**
 * The view-change timers of one replica [4.5.2]. In the normal case a backup has two request timers.
 * The pipeline timer runs while a pre-prepare it accepted waits to commit and restarts on every
 * delivery. Requests waiting to be ordered age on their own instead (as in BFT-SMaRt, not the
 * paper's single timer, which a primary that orders everyone else's requests would keep restarting):
 * when the oldest waited longer than the timeout in the current view, the view changes. During a view change the
 * new-view timer starts only once 2f+1 VIEW-CHANGEs for the target view arrived (before that, the
 * view change cannot complete whoever is primary). Both use T * 2^k, k the number of consecutive
 * views that failed: a correct primary eventually gets long enough to make progress, and progress
 * resets k to zero.
 *
 * <p>The request timer follows what the cluster measures. A saturated primary that orders every
 * request in turn, after a queueing delay longer than T, deserves its view; one that stalls or skips
 * a request does not. So a request that waited T counts as overdue when
 * <ul>
 *   <li>this replica delivered nothing for T in this view (the primary stalls, or died), or</li>
 *   <li>it waited {@link #ADAPT_FACTOR} times as long as the longest the requests this replica relayed
 *       waited before the primary ordered them, over the last one to two T of this view (the primary
 *       skips it while ordering others), and never more than {@link #ADAPT_CAP_TIMEOUTS} T.</li>
 * </ul>
 * Idle, the requests ordered lately waited milliseconds, and the rule is T as before. A faulty
 * primary that delays everything to stretch the timer gains {@link #ADAPT_CAP_TIMEOUTS} T at most,
 * and only while it keeps ordering.
 */
final class ViewTimer {
    /** 64 T at most: enough for any correct primary we configure for, and a bound on recovery time. */
    private static final int MAX_DOUBLINGS = 6;
    /** A request is skipped once it waited this many times the longest recently measured ordering delay. */
    static final int ADAPT_FACTOR = 2;
    /** The measured rule never stretches the request timer beyond this many timeouts. */
    static final int ADAPT_CAP_TIMEOUTS = 8;
    private final long baseMs;
    /** When this replica last delivered a batch in the current view (the view's start, at first). */
    private long lastProgressMs;
    /**
     * The longest ordering delay measured in the current and the previous window of {@code baseMs}:
     * the recent maximum covers between one and two windows.
     */
    private long windowStartMs = Long.MIN_VALUE;
    private long windowMaxMs;
    private long previousWindowMaxMs;
    private int failedViews;
    private long requestSinceMs = -1;
    private long newViewSinceMs = -1;
    /**
     * When the current view was entered, or this replica was last behind the quorum: requests older
     * than that start waiting afresh (the primary is not to blame for what this replica missed).
     */
    private long agesFromMs;
    /** Since when this replica counts itself behind a commit quorum it cannot deliver, or -1. */
    private long behindCommitQuorumSinceMs = -1;
    /** What it had delivered then: a delivery since is progress, and the wait starts again. */
    private long behindCommitQuorumDelivered = -1;

    ViewTimer(long baseMs) {
        this.baseMs = baseMs;
    }

    long timeoutMs() {
        return baseMs << Math.min(failedViews, MAX_DOUBLINGS);
    }

    int failedViews() {
        return failedViews;
    }

    void viewChangeStarted(long now) {
        requestSinceMs = -1;
        newViewSinceMs = -1;
    }

    void quorumForViewChange(long now) {
        if (newViewSinceMs < 0) {
            newViewSinceMs = now;
        }
    }

    void viewEntered(long now) {
        agesFromMs = now;
        lastProgressMs = now;
        windowStartMs = Long.MIN_VALUE;
        windowMaxMs = 0;
        previousWindowMaxMs = 0;
        newViewSinceMs = -1;
        requestSinceMs = -1;
        behindCommitQuorumSinceMs = -1;
    }

    /**
     * This replica holds 2f+1 COMMITs of the current view for a sequence above {@code delivered},
     * which it cannot deliver: whether that still counts as the others having got further, so that
     * the request timers wait while it fetches what it misses. It counts for {@code graceMs} without a
     * delivery, no longer: a commit quorum at n says nothing about n-1, which may be unable to commit
     * in this view at all (prepared by too few correct replicas before one of them left the view), and
     * then no correct replica has the batches to fetch either and only a view change helps.
     */
    boolean commitQuorumStillAhead(long now, long delivered, long graceMs) {
        if (behindCommitQuorumSinceMs < 0 || behindCommitQuorumDelivered != delivered) {
            behindCommitQuorumSinceMs = now;
            behindCommitQuorumDelivered = delivered;
        }
        return now - behindCommitQuorumSinceMs < graceMs;
    }

    /** No commit quorum above what this replica delivered. */
    void noCommitQuorumAhead() {
        behindCommitQuorumSinceMs = -1;
    }

    /** A batch was delivered: the view works, so the backoff resets and a running request timer restarts. */
    void progressed(long now) {
        failedViews = 0;
        lastProgressMs = Math.max(lastProgressMs, now);
        if (requestSinceMs >= 0) {
            requestSinceMs = now;
        }
    }

    /**
     * A request this replica relayed, waiting here since {@code sinceMs}, was ordered: how long it
     * waited in this view is a measure of the primary's queueing delay.
     */
    void ordered(long now, long sinceMs) {
        long waited = Math.max(0, now - Math.max(sinceMs, agesFromMs));
        roll(now);
        windowMaxMs = Math.max(windowMaxMs, waited);
    }

    private void roll(long now) {
        if (windowStartMs == Long.MIN_VALUE) {
            windowStartMs = now;
            return;
        }
        long elapsed = now - windowStartMs;
        if (elapsed >= 2 * baseMs) {
            previousWindowMaxMs = 0;
            windowMaxMs = 0;
            windowStartMs = now;
        } else if (elapsed >= baseMs) {
            previousWindowMaxMs = windowMaxMs;
            windowMaxMs = 0;
            windowStartMs += baseMs;
        }
    }

    /** How long a request may wait while the view makes progress: see the class comment. */
    long measuredTimeoutMs(long now) {
        roll(now);
        long measured = ADAPT_FACTOR * Math.max(windowMaxMs, previousWindowMaxMs);
        return Math.min(timeoutMs() * ADAPT_CAP_TIMEOUTS, Math.max(timeoutMs(), measured));
    }

    /** A request waiting since {@code sinceMs} (or -1: none) waited too long in this view: see the class comment. */
    boolean requestOverdue(long now, long sinceMs) {
        if (sinceMs < 0) {
            return false;
        }
        long waited = now - Math.max(sinceMs, agesFromMs);
        if (waited < timeoutMs()) {
            return false;
        }
        return now - Math.max(lastProgressMs, agesFromMs) >= timeoutMs() || waited >= measuredTimeoutMs(now);
    }

    /**
     * This replica is behind what a quorum committed (a commit certificate or checkpoint above what it
     * delivered): what it waits for may be done already, so no request timer runs.
     */
    void restartAges(long now) {
        agesFromMs = now;
    }

    void behindQuorum(long now) {
        agesFromMs = now;
        requestSinceMs = -1;
    }

    void failedView() {
        failedViews++;
    }

    /**
     * Which timer expired, or null if none did.
     *
     * @param oldestRequestSinceMs since when the oldest request not yet ordered has waited here, or -1
     */
    ViewChangeCause expired(long now, boolean viewChanging, boolean waitingForRequests, long oldestRequestSinceMs) {
        if (viewChanging) {
            return newViewSinceMs >= 0 && now - newViewSinceMs >= timeoutMs() ? ViewChangeCause.NEW_VIEW_TIMEOUT : null;
        }
        if (requestOverdue(now, oldestRequestSinceMs)) {
            return ViewChangeCause.REQUEST_WAITED;
        }
        if (!waitingForRequests) {
            requestSinceMs = -1;
            return null;
        }
        if (requestSinceMs < 0) {
            requestSinceMs = now;
            return null;
        }
        return now - requestSinceMs >= timeoutMs() ? ViewChangeCause.BATCH_NOT_COMMITTED : null;
    }
}
