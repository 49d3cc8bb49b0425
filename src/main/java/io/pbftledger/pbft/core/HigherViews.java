package io.pbftledger.pbft.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * "If a replica receives a set of f+1 valid VIEW-CHANGE messages from other replicas for views
 * greater than its current view, it sends a VIEW-CHANGE message for the smallest view in the set"
 * [4.5.2, liveness]: the smallest view of the f+1 highest, i.e. the (f+1)-th highest view above the
 * current one. Computed here only, for VIEW-CHANGEs and for other signs of a replica working in a
 * higher view.
 */
final class HigherViews {
    private HigherViews() {
    }

    /** The {@code count}-th highest of {@code views} above {@code current}, or -1 when fewer are above it. */
    static long joinable(Iterable<Long> views, long current, int count) {
        List<Long> higher = new ArrayList<>();
        for (long v : views) {
            if (v > current) {
                higher.add(v);
            }
        }
        if (higher.size() < count) {
            return -1;
        }
        higher.sort(Comparator.reverseOrder());
        return higher.get(count - 1);
    }
}
