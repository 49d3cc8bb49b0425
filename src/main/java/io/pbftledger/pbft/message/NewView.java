package io.pbftledger.pbft.message;

import java.util.List;

/**
 * NEW-VIEW(v, V, O) [4.4] from the primary of {@code view}: V the 2f+1 signed VIEW-CHANGEs it
 * collected for this view (sorted by sender), O the pre-prepares of this view for every sequence in
 * (min-s, max-s], a null request (empty batch) where nothing prepared. Backups recompute O from V.
 */
public record NewView(int replica, long view, List<Signed<ViewChange>> viewChanges,
        List<Signed<PrePrepare>> prePrepares) implements PbftMessage {
    public NewView {
        viewChanges = List.copyOf(viewChanges);
        prePrepares = List.copyOf(prePrepares);
        Checks.notNegative(replica, "replica");
        Checks.notNegative(view, "view");
    }

    @Override
    public String toString() {
        return "NewView[r=" + replica + ", v=" + view + ", V=" + viewChanges.size() + ", O=" + prePrepares.size() + "]";
    }
}
