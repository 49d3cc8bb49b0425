package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The view-change protocol [Castro and Liskov 4.4, 4.5.2]: VIEW-CHANGE on a timeout or when f+1
 * replicas ask for higher views, NEW-VIEW from the new primary once 2f+1 agree, checking NEW-VIEW by
 * recomputing O, and a view-change timer that doubles across consecutive failed views.
 *
 * <p>VIEW-CHANGE and NEW-VIEW carry their pre-prepares without transactions (references, see
 * {@link PrePrepare#withoutBodies()}), as in Castro and Liskov: their size then grows with the number
 * of requests in flight, not with their bytes. With whole batches inside, a view change at the height
 * of a loaded cluster needed messages larger than any peer accepts, and the cluster never left the
 * failed view. Replicas take the transactions back from their own log when they enter the view
 * ({@link RequestBodies}).
 */
final class ViewChanger {
    private final ReplicaContext ctx;
    private final ProofChecker proofs;
    private final CheckpointTracker checkpoints;
    private final PreparedCertificates certificates;
    private final ViewTimer timer;
    private final ViewEntry entry;
    private final Consumer<StableCheckpoint> adoptStable;
    private final ViewChangeVotes votes = new ViewChangeVotes();
    /** When each replica last got our NEW-VIEW because it lagged behind; rate limit, deterministic order. */
    private final TreeMap<Integer, Long> lastHelpedMs = new TreeMap<>();
    /** When each replica last got our stable checkpoint's proof; rate limit, deterministic order. */
    private final TreeMap<Integer, Long> lastSharedCheckpointMs = new TreeMap<>();
    /** The highest view of a normal-case message each replica sent us from a view above ours. */
    private final TreeMap<Integer, Long> aheadViews = new TreeMap<>();
    private Signed<ViewChange> own;
    private Signed<NewView> latestNewView;
    /** When this replica sent its VIEW-CHANGE for the view it is changing to. */
    private long startedMs;
    /** When this replica last started a view change (for any reason), or -1: never since it booted. */
    private long lastStartedMs = -1;
    /** Why the latest view change started, or null before the first. */
    private ViewChangeCause lastCause;
    /** When this replica last sent its own VIEW-CHANGE (first sent or re-sent while too few ask). */
    private long ownSentMs;
    /** View changes this replica started to bring back a replica alone in one ({@link #assistIfDue}). */
    private long assisted;
    /**
     * A lone VIEW-CHANGE counts as held from no earlier than this: when this replica entered its view,
     * first ticked, or was last behind the quorum.
     */
    private long assistHeldFromMs;

    ViewChanger(ReplicaContext ctx, ProofChecker proofs, CheckpointTracker checkpoints,
            PreparedCertificates certificates, ViewTimer timer, ViewEntry entry, Consumer<StableCheckpoint> adoptStable) {
        this.ctx = ctx;
        this.proofs = proofs;
        this.checkpoints = checkpoints;
        this.certificates = certificates;
        this.timer = timer;
        this.entry = entry;
        this.adoptStable = adoptStable;
    }

    Signed<ViewChange> own() {
        return ctx.changing() ? own : null;
    }

    Signed<NewView> latestNewView() {
        return latestNewView;
    }

    /** Restores a VIEW-CHANGE this replica sent before a restart: it is re-sent as is, never recomputed. */
    void restoreOwn(Signed<ViewChange> vc, long entered) {
        own = ViewChange.withoutBodies(vc); // same signature; journals of older versions carry bodies
        votes.add(own, ctx.now);
        ctx.restoreViewChange(vc.message().newView(), entered);
    }

    void restoreNewView(Signed<NewView> nv) {
        latestNewView = NewView.withoutBodies(nv);
    }

    /**
     * The checkpoint at {@code stable} that ends the previous epoch is stable: this replica enters the
     * first view of the next epoch, without a NEW-VIEW, and forgets the old epoch's view change (it
     * could only concern sequences the stable checkpoint settles). See {@link Epochs}.
     */
    void enterEpoch(long stable) {
        long first = ctx.epochs.firstView();
        votes.forgetUpTo(first);
        own = null;
        latestNewView = null;
        aheadViews.clear();
        ctx.enterView(first);
        timer.viewEntered(ctx.now);
        assistHeldFromMs = ctx.now;
        entry.enterEpoch(first, stable);
    }

    /** Moves to {@code view} and multicasts VIEW-CHANGE(view, s, C, P); the replica stops the normal case. */
    void start(long view, ViewChangeCause cause) {
        StableCheckpoint stable = checkpoints.stable();
        List<Signed<Checkpoint>> proof = stable.sequence() == 0 ? List.of() : stable.proof();
        ViewChange vc = new ViewChange(ctx.self, view, stable.sequence(), proof, certificates.above(stable.sequence()))
                .withoutBodies();
        own = ctx.sign(vc);
        ctx.startViewChange(view);
        startedMs = ctx.now;
        lastStartedMs = ctx.now;
        lastCause = cause;
        ownSentMs = ctx.now;
        timer.viewChangeStarted(ctx.now);
        votes.add(own, ctx.now);
        ctx.out.persist(own);
        ctx.out.broadcast(own);
        afterVote(view);
    }

    /**
     * The stable checkpoint's proof was chosen again ({@link CheckpointTracker#repairStableProof}): the
     * old one is no quorum of the set that ordered it, so every replica that knows that set refuses
     * this replica's standing VIEW-CHANGE, re-sent or not. It goes again, for the same view, with the
     * same stable checkpoint and prepared certificates and the new proof: the same statement, now
     * valid (a replica that accepted the old one keeps it, the new one is no newer there). Journalled
     * first, like any VIEW-CHANGE; the latest for a view is the one restored after a restart.
     */
    void stableProofRepaired() {
        StableCheckpoint stable = checkpoints.stable();
        if (!ctx.changing() || own == null || own.message().stableSequence() != stable.sequence()) {
            return;
        }
        ViewChange old = own.message();
        own = ctx.sign(new ViewChange(ctx.self, old.newView(), old.stableSequence(), stable.proof(), old.prepared()));
        ownSentMs = ctx.now;
        ctx.out.persist(own);
        ctx.out.broadcast(own);
    }

    void onViewChange(Signed<ViewChange> received) {
        Signed<ViewChange> signed = ViewChange.withoutBodies(received); // kept, and perhaps put into a NEW-VIEW
        ViewChange vc = signed.message();
        if (vc.stableSequence() < checkpoints.stableSequence()) {
            shareStableCheckpoint(vc.replica());
        }
        if (vc.newView() < ctx.view() || (vc.newView() == ctx.view() && !ctx.changing())) {
            // The sender lags behind: our NEW-VIEW (self-certifying) brings it to the current view.
            helpLaggard(vc.replica());
            ctx.drop(DropReason.OLD_VIEW);
            return;
        }
        if (!votes.isNewer(vc)) {
            ctx.drop(DropReason.DUPLICATE);
            return;
        }
        if (!proofs.viewChangeValid(vc)) {
            ctx.drop(DropReason.INVALID_VIEW_CHANGE);
            return;
        }
        votes.add(signed, ctx.now);
        // f+1 replicas asking for higher views include a correct one: join the smallest such view [4.5.2].
        long join = votes.joinableAbove(ctx.view(), ctx.quorums().weak(), ctx.self);
        if (join > ctx.view()) {
            start(join, ViewChangeCause.JOINED);
            return;
        }
        if (ctx.changing()) {
            afterVote(ctx.view());
        }
    }

    /** With 2f+1 VIEW-CHANGEs for the target view (or above) the new-view timer runs; the new primary sends NEW-VIEW. */
    private void afterVote(long view) {
        // A replica asking for a higher view has left this one too: counting it keeps the timer going
        // when some replicas already moved on, or no quorum for any single view might ever form.
        if (votes.countAtOrAbove(view) < ctx.quorums().quorum()) {
            return;
        }
        timer.quorumForViewChange(ctx.now);
        List<Signed<ViewChange>> forView = votes.forView(view);
        if (ctx.primaryOf(view) != ctx.self || forView.size() < ctx.quorums().quorum()) {
            return;
        }
        List<Signed<ViewChange>> chosen = choose(forView);
        List<ViewChange> plain = new ArrayList<>(chosen.size());
        for (Signed<ViewChange> s : chosen) {
            plain.add(s.message());
        }
        List<Signed<PrePrepare>> o = new ArrayList<>();
        for (PrePrepare pp : NewViewBuilder.computeO(view, ctx.self, plain)) {
            o.add(ctx.sign(pp));
        }
        Signed<NewView> nv = ctx.sign(new NewView(ctx.self, view, chosen, o));
        ctx.out.persist(nv);
        ctx.out.broadcast(nv);
        enter(nv, nv.message(), plain);
    }

    /** Exactly 2f+1 view changes, this replica's own first, then the lowest ids; sorted by sender. */
    private List<Signed<ViewChange>> choose(List<Signed<ViewChange>> forView) {
        List<Signed<ViewChange>> chosen = new ArrayList<>();
        chosen.add(own);
        for (Signed<ViewChange> vc : forView) {
            if (chosen.size() < ctx.quorums().quorum() && vc.message().replica() != ctx.self) {
                chosen.add(vc);
            }
        }
        chosen.sort((a, b) -> Integer.compare(a.message().replica(), b.message().replica()));
        return chosen;
    }

    void onNewView(Signed<NewView> signed) {
        NewView nv = signed.message();
        if (nv.view() < ctx.view() || (nv.view() == ctx.view() && !ctx.changing())) {
            ctx.drop(nv.view() < ctx.view() ? DropReason.OLD_VIEW : DropReason.DUPLICATE);
            return;
        }
        List<ViewChange> plain = validNewView(nv);
        if (plain == null) {
            ctx.drop(DropReason.INVALID_NEW_VIEW);
            return;
        }
        Signed<NewView> stripped = NewView.withoutBodies(signed);
        ctx.out.persist(stripped);
        enter(stripped, signed.message(), plain);
    }

    /** V's plain view changes if the NEW-VIEW checks (sender, 2f+1 distinct valid V, O recomputed), else null. */
    List<ViewChange> validNewView(NewView nv) {
        if (nv.replica() != ctx.primaryOf(nv.view()) || nv.viewChanges().size() != ctx.quorums().quorum()) {
            return null;
        }
        List<ViewChange> plain = new ArrayList<>();
        java.util.TreeSet<Integer> senders = new java.util.TreeSet<>();
        for (Signed<ViewChange> s : nv.viewChanges()) {
            ViewChange vc = s.message();
            if (vc.newView() != nv.view() || !senders.add(vc.replica()) || !proofs.signedBy(s)
                    || !proofs.viewChangeValid(vc)) {
                return null;
            }
            plain.add(vc);
        }
        List<PrePrepare> expected = NewViewBuilder.computeO(nv.view(), nv.replica(), plain);
        if (expected.size() != nv.prePrepares().size()) {
            return null;
        }
        for (int i = 0; i < expected.size(); i++) {
            Signed<PrePrepare> got = nv.prePrepares().get(i);
            if (!sameOrdering(expected.get(i), got.message()) || !proofs.signedBy(got)) {
                return null;
            }
        }
        return plain;
    }

    private static boolean sameOrdering(PrePrepare a, PrePrepare b) {
        return a.replica() == b.replica() && a.view() == b.view() && a.sequence() == b.sequence()
                && a.timestamp() == b.timestamp() && a.batchDigest().equals(b.batchDigest()) && a.batch().equals(b.batch());
    }

    /** {@code withBodies} is the NEW-VIEW as received: a peer of an older version may have sent transactions in it. */
    private void enter(Signed<NewView> nv, NewView withBodies, List<ViewChange> plain) {
        long minS = NewViewBuilder.minS(plain);
        if (minS > checkpoints.stableSequence()) {
            for (ViewChange vc : plain) {
                if (vc.stableSequence() == minS) {
                    Digest d = proofs.checkpointDigest(minS, vc.checkpointProof());
                    adoptStable.accept(new StableCheckpoint(minS, d, sortedProof(vc.checkpointProof())));
                    break;
                }
            }
        }
        latestNewView = nv;
        ctx.enterView(nv.message().view());
        votes.forgetUpTo(ctx.view());
        timer.viewEntered(ctx.now);
        assistHeldFromMs = ctx.now;
        entry.enter(withBodies, minS);
    }

    private static List<Signed<Checkpoint>> sortedProof(List<Signed<Checkpoint>> proof) {
        List<Signed<Checkpoint>> sorted = new ArrayList<>(proof);
        sorted.sort((a, b) -> Integer.compare(a.message().replica(), b.message().replica()));
        return sorted;
    }

    /**
     * A replica that missed a view change (crashed, partitioned) and has no request timer running sees
     * only messages of the higher view. Once f+1 replicas (so a correct one, which entered that view
     * with a valid NEW-VIEW) sent them, it asks to join with a VIEW-CHANGE for that view; the replicas
     * already there answer with their NEW-VIEW ({@link #helpLaggard}). Faulty replicas alone (f) cannot
     * move it.
     */
    void futureViewSeen(int replica, long view) {
        if (!ctx.replicas().contains(replica) || replica == ctx.self) {
            return;
        }
        aheadViews.merge(replica, view, Math::max);
        long join = HigherViews.joinable(aheadViews.values(), ctx.view(), ctx.quorums().weak());
        if (join >= 0) {
            aheadViews.clear();
            start(join, ViewChangeCause.JOINED);
        }
    }

    /**
     * A replica whose VIEW-CHANGE shows an older stable checkpoint than ours gets our checkpoint's
     * proof (2f+1 signed CHECKPOINTs), at most once per retransmit interval: with it the replica can
     * move its watermarks and fetch what it misses, even when the others are idle and send no new
     * checkpoints (a replica alone in a higher view would otherwise never learn it is behind). Also
     * sent to a replica still in an earlier epoch.
     */
    void shareStableCheckpoint(int replica) {
        if (replica == ctx.self || !ctx.replicas().contains(replica)) {
            return;
        }
        Long last = lastSharedCheckpointMs.get(replica);
        if (last != null && ctx.now - last < ctx.config.retransmitIntervalMs()) {
            return;
        }
        lastSharedCheckpointMs.put(replica, ctx.now);
        for (Signed<Checkpoint> vote : checkpoints.stable().proof()) {
            ctx.out.send(replica, vote);
        }
    }

    /** Sends the current NEW-VIEW to a replica that is in an older view, at most once per retransmit interval. */
    void helpLaggard(int replica) {
        if (latestNewView == null || ctx.changing() || replica == ctx.self || !ctx.replicas().contains(replica)) {
            return;
        }
        Long last = lastHelpedMs.get(replica);
        if (last != null && ctx.now - last < ctx.config.retransmitIntervalMs()) {
            return;
        }
        lastHelpedMs.put(replica, ctx.now);
        ctx.out.send(replica, latestNewView);
    }

    /**
     * Called on every tick: request timers in the normal case, new-view timer during a view change.
     * While fewer than 2f+1 ask for its view (no new-view timer runs) this replica re-sends its
     * VIEW-CHANGE once per view-change timeout, progress or not: a replica alone that follows the
     * others' commits makes progress, so its retransmitter stays quiet, and the others must hear of
     * it to bring it back ({@link #assistIfDue}).
     */
    void tick(boolean waitingForRequests, long oldestRequestSinceMs) {
        boolean backup = !ctx.isPrimary();
        ViewChangeCause expired = timer.expired(ctx.now, ctx.changing(), waitingForRequests && backup,
                backup ? oldestRequestSinceMs : -1);
        if (expired != null) {
            timer.failedView();
            start(ctx.view() + 1, expired);
            return;
        }
        if (ctx.changing() && own != null && votes.countAtOrAbove(ctx.view()) < ctx.quorums().quorum()
                && ctx.now - ownSentMs >= timer.timeoutMs()) {
            ownSentMs = ctx.now;
            ctx.out.broadcast(own);
        }
    }

    /** Why this replica started its latest view change, or null if it started none. */
    ViewChangeCause lastCause() {
        return lastCause;
    }

    /**
     * The assisted view change (docs/design.md, "A replica alone in a view change"). In the normal
     * case of view v, and not behind the quorum (the caller checks, and calls {@link #holdAssist} while
     * it is), this replica asks for v+1 itself when it has held a valid VIEW-CHANGE for v+1 from another
     * replica for a view-change timeout in view v and started no view change within the rejoin period.
     * A correct replica alone in v+1 then has f+1 (for larger f, every correct replica applies the rule
     * on its own), and everyone joins. Only v+1 counts: a faulty replica may not choose the primary, or a
     * view near overflow. Starting a view change is always safe; the rejoin period bounds what a faulty
     * replica gains (one view change per period).
     */
    void assistIfDue() {
        if (ctx.changing()) {
            return;
        }
        long since = votes.earliestFor(ctx.view() + 1, ctx.self);
        if (since < 0 || ctx.now - Math.max(since, assistHeldFromMs) < timer.timeoutMs()) {
            return;
        }
        if (lastStartedMs >= 0 && ctx.now - lastStartedMs < ctx.config.rejoinPeriodMs()) {
            return;
        }
        assisted++;
        start(ctx.view() + 1, ViewChangeCause.ASSISTED);
    }

    /** Behind the quorum (or just started): a lone VIEW-CHANGE waits a full timeout from now on. */
    void holdAssist() {
        assistHeldFromMs = ctx.now;
    }

    long assistedViewChanges() {
        return assisted;
    }

    /**
     * This replica asked for a view that nobody followed: a view-change timeout after its VIEW-CHANGE,
     * fewer than f+1 replicas (itself included) ask for it or a higher one, so no correct replica
     * joins and the others go on in the view it left. It may not vote there again (see
     * docs/design.md, "A replica alone in a view change"); it follows that view's progress from
     * certified batches and checkpoints, and its standing VIEW-CHANGE completes the others' next one.
     */
    boolean alone() {
        return ctx.changing() && ctx.now - startedMs >= timer.timeoutMs()
                && votes.countAtOrAbove(ctx.view()) < ctx.quorums().weak();
    }

    List<Integer> missingViewChanges() {
        return votes.missingFor(ctx.view(), ctx.replicas());
    }
}
