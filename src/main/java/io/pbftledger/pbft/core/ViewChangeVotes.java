package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The latest valid VIEW-CHANGE of each replica (a replica that moved to a higher view abandoned the
 * lower one) and when it arrived, so this holds at most n messages whatever faulty replicas send.
 */
final class ViewChangeVotes {
    private final TreeMap<Integer, Signed<ViewChange>> latest = new TreeMap<>();
    /** When each replica's latest VIEW-CHANGE first arrived (re-sent copies are duplicates). */
    private final TreeMap<Integer, Long> receivedMs = new TreeMap<>();

    /** True if it is newer than what the sender had sent; equal or older ones are ignored. */
    boolean add(Signed<ViewChange> vc, long nowMs) {
        Signed<ViewChange> current = latest.get(vc.message().replica());
        if (current != null && current.message().newView() >= vc.message().newView()) {
            return false;
        }
        latest.put(vc.message().replica(), vc);
        receivedMs.put(vc.message().replica(), nowMs);
        return true;
    }

    /**
     * When the earliest VIEW-CHANGE for exactly {@code view} from a replica other than {@code self}
     * arrived, or -1 if none is held.
     */
    long earliestFor(long view, int self) {
        long earliest = -1;
        for (Signed<ViewChange> vc : latest.values()) {
            int replica = vc.message().replica();
            if (replica != self && vc.message().newView() == view) {
                long at = receivedMs.get(replica);
                earliest = earliest < 0 ? at : Math.min(earliest, at);
            }
        }
        return earliest;
    }

    boolean isNewer(ViewChange vc) {
        Signed<ViewChange> current = latest.get(vc.replica());
        return current == null || current.message().newView() < vc.newView();
    }

    /** The view changes for exactly {@code view}, sorted by sender. */
    List<Signed<ViewChange>> forView(long view) {
        List<Signed<ViewChange>> out = new ArrayList<>();
        for (Signed<ViewChange> vc : latest.values()) {
            if (vc.message().newView() == view) {
                out.add(vc);
            }
        }
        return out;
    }

    int countAtOrAbove(long view) {
        int count = 0;
        for (Signed<ViewChange> vc : latest.values()) {
            if (vc.message().newView() >= view) {
                count++;
            }
        }
        return count;
    }

    /**
     * The highest view that at least {@code count} replicas other than {@code self} asked for, above
     * {@code view} (or -1): the smallest view of a set of {@code count} VIEW-CHANGEs for higher views.
     */
    long joinableAbove(long view, int count, int self) {
        List<Long> views = new ArrayList<>();
        for (Signed<ViewChange> vc : latest.values()) {
            if (vc.message().replica() != self) {
                views.add(vc.message().newView());
            }
        }
        return HigherViews.joinable(views, view, count);
    }

    /** Replicas without a VIEW-CHANGE for {@code view} or above. */
    List<Integer> missingFor(long view, ReplicaSet replicas) {
        List<Integer> missing = new ArrayList<>();
        for (int r : replicas.members()) {
            Signed<ViewChange> vc = latest.get(r);
            if (vc == null || vc.message().newView() < view) {
                missing.add(r);
            }
        }
        return missing;
    }

    /** Drops votes for views at or below {@code view}: they can no longer matter once it is entered. */
    void forgetUpTo(long view) {
        latest.values().removeIf(vc -> vc.message().newView() < view);
        receivedMs.keySet().retainAll(latest.keySet());
    }
}
