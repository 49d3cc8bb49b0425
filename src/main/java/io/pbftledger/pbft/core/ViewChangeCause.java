package io.pbftledger.pbft.core;

import java.util.Locale;

/** Why a replica started its latest view change: what an operator reads in the WARN line and the metric. */
public enum ViewChangeCause {
    /** A request this backup relayed waited the view-change timeout without being ordered. */
    REQUEST_WAITED,
    /** A pre-prepare this backup accepted waited the view-change timeout without a delivery. */
    BATCH_NOT_COMMITTED,
    /** The view change it was in did not complete within the timeout after 2f+1 asked for it. */
    NEW_VIEW_TIMEOUT,
    /** f+1 replicas asked for a higher view (or were seen working in one): it joined them. */
    JOINED,
    /** It joined a lone VIEW-CHANGE for the next view to bring that replica back (assisted view change). */
    ASSISTED;

    /** The metric tag and log word: request-waited, batch-not-committed, new-view-timeout, joined, assisted. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
