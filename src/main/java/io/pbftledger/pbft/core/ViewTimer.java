package io.pbftledger.pbft.core;

/**
 * The view-change timers of one replica [4.5.2]. In the normal case a backup's request timer runs
 * while it waits for a request to execute and restarts on every delivery. During a view change the
 * new-view timer starts only once 2f+1 VIEW-CHANGEs for the target view arrived (before that, the
 * view change cannot complete whoever is primary). Both use T * 2^k, k the number of consecutive
 * views that failed: a correct primary eventually gets long enough to make progress, and progress
 * resets k to zero.
 */
final class ViewTimer {
    /** 64 T at most: enough for any correct primary we configure for, and a bound on recovery time. */
    private static final int MAX_DOUBLINGS = 6;
    private final long baseMs;
    private int failedViews;
    private long requestSinceMs = -1;
    private long newViewSinceMs = -1;

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
        newViewSinceMs = -1;
        requestSinceMs = -1;
    }

    /** A batch was delivered: the view works, so the backoff resets and a running request timer restarts. */
    void progressed(long now) {
        failedViews = 0;
        if (requestSinceMs >= 0) {
            requestSinceMs = now;
        }
    }

    void failedView() {
        failedViews++;
    }

    boolean expired(long now, boolean viewChanging, boolean waitingForRequests) {
        if (viewChanging) {
            return newViewSinceMs >= 0 && now - newViewSinceMs >= timeoutMs();
        }
        if (!waitingForRequests) {
            requestSinceMs = -1;
            return false;
        }
        if (requestSinceMs < 0) {
            requestSinceMs = now;
            return false;
        }
        return now - requestSinceMs >= timeoutMs();
    }
}
