package io.pbftledger.pbft.message;

import java.util.ArrayList;
import java.util.List;

/**
 * NEW-VIEW(v, V, O) [4.4] from the primary of {@code view}: V the 2f+1 signed VIEW-CHANGEs it
 * collected for this view (sorted by sender), O the pre-prepares of this view for every sequence in
 * (min-s, max-s], a null request (empty batch) where nothing prepared. Backups recompute O from V.
 * Every pre-prepare in it, in V and in O, travels without its transactions ({@link #withoutBodies()}).
 */
public record NewView(int replica, long view, List<Signed<ViewChange>> viewChanges,
        List<Signed<PrePrepare>> prePrepares) implements PbftMessage {
    public NewView {
        viewChanges = List.copyOf(viewChanges);
        prePrepares = List.copyOf(prePrepares);
        Checks.notNegative(replica, "replica");
        Checks.notNegative(view, "view");
    }

    /** This NEW-VIEW with every request in V and O as a reference; same signing bytes, so the same signature. */
    public NewView withoutBodies() {
        List<Signed<ViewChange>> v = new ArrayList<>(viewChanges.size());
        for (Signed<ViewChange> vc : viewChanges) {
            v.add(ViewChange.withoutBodies(vc));
        }
        List<Signed<PrePrepare>> o = new ArrayList<>(prePrepares.size());
        for (Signed<PrePrepare> pp : prePrepares) {
            o.add(new Signed<>(pp.message().withoutBodies(), pp.signature()));
        }
        return new NewView(replica, view, v, o);
    }

    /** {@code signed} with {@link NewView#withoutBodies()} applied; the signature stays valid. */
    public static Signed<NewView> withoutBodies(Signed<NewView> signed) {
        return new Signed<>(signed.message().withoutBodies(), signed.signature());
    }

    @Override
    public String toString() {
        return "NewView[r=" + replica + ", v=" + view + ", V=" + viewChanges.size() + ", O=" + prePrepares.size() + "]";
    }
}
