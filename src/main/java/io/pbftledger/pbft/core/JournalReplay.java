package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds a restarted replica from its journal (what it persisted before sending) so that it never
 * contradicts itself: it resumes in the view it had reached (re-sending the very VIEW-CHANGE it sent
 * when it was changing view), keeps the pre-prepares it accepted or proposed (a conflicting one is
 * then refused, and a primary never reuses a sequence), its prepares and commits, and the prepared
 * certificates a later VIEW-CHANGE must carry. Produces no output.
 */
final class JournalReplay {
    private record SlotKey(long view, long sequence) implements Comparable<SlotKey> {
        @Override
        public int compareTo(SlotKey o) {
            int c = Long.compare(view, o.view);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final ReplicaContext ctx;
    private final ViewChanger viewChanger;
    private final NormalCase normal;
    private final InFlightRequests inFlight;
    private final Proposer proposer;
    private final PreparedCertificates certificates;
    private final TreeMap<SlotKey, Signed<PrePrepare>> prePrepares = new TreeMap<>();
    private final TreeMap<SlotKey, Map<Integer, Signed<Prepare>>> prepares = new TreeMap<>();
    private final List<Signed<Commit>> commits = new ArrayList<>();
    private Signed<NewView> latestNewView;
    private Signed<ViewChange> latestOwnViewChange;

    JournalReplay(ReplicaContext ctx, ViewChanger viewChanger, NormalCase normal, InFlightRequests inFlight,
            Proposer proposer, PreparedCertificates certificates) {
        this.ctx = ctx;
        this.viewChanger = viewChanger;
        this.normal = normal;
        this.inFlight = inFlight;
        this.proposer = proposer;
        this.certificates = certificates;
    }

    /**
     * The highest sequence the journal holds a pre-prepare, prepare or commit for (also inside a
     * NEW-VIEW or this replica's VIEW-CHANGE), 0 if none: the log keeps its high watermark at least
     * there, whatever the configured window is now.
     */
    static long highestSequence(List<Signed<? extends PbftMessage>> journal) {
        long highest = 0;
        for (Signed<? extends PbftMessage> s : journal) {
            PbftMessage m = s.message();
            if (m instanceof OrderingMessage o) {
                highest = Math.max(highest, o.sequence());
            } else if (m instanceof NewView nv) {
                for (Signed<PrePrepare> pp : nv.prePrepares()) {
                    highest = Math.max(highest, pp.message().sequence());
                }
            } else if (m instanceof ViewChange vc) {
                for (PreparedProof proof : vc.prepared()) {
                    highest = Math.max(highest, proof.prePrepare().message().sequence());
                }
            }
        }
        return highest;
    }

    @SuppressWarnings("unchecked")
    void replay(List<Signed<? extends PbftMessage>> journal) {
        // At least the first view of the epoch the restored replica-set changes put it in (Epochs).
        long view = Math.max(ctx.view(), ctx.epochs.firstView());
        for (Signed<? extends PbftMessage> s : journal) {
            PbftMessage m = s.message();
            if (m instanceof PrePrepare pp) {
                keep(new SlotKey(pp.view(), pp.sequence()), (Signed<PrePrepare>) s);
                view = Math.max(view, pp.view());
            } else if (m instanceof Prepare p) {
                prepares.computeIfAbsent(new SlotKey(p.view(), p.sequence()), k -> new LinkedHashMap<>())
                        .putIfAbsent(p.replica(), (Signed<Prepare>) s);
                view = Math.max(view, p.view());
            } else if (m instanceof Commit c && c.replica() == ctx.self) {
                commits.add((Signed<Commit>) s);
                view = Math.max(view, c.view());
            } else if (m instanceof ViewChange vc && vc.replica() == ctx.self) {
                // >=: a VIEW-CHANGE re-sent with a repaired checkpoint proof (ViewChanger#stableProofRepaired)
                if (latestOwnViewChange == null || vc.newView() >= latestOwnViewChange.message().newView()) {
                    latestOwnViewChange = (Signed<ViewChange>) s;
                }
                view = Math.max(view, vc.newView());
            } else if (m instanceof NewView nv) {
                if (latestNewView == null || nv.view() > latestNewView.message().view()) {
                    latestNewView = (Signed<NewView>) s;
                }
                for (Signed<PrePrepare> pp : nv.prePrepares()) {
                    keep(new SlotKey(nv.view(), pp.message().sequence()), pp);
                }
                view = Math.max(view, nv.view());
            }
        }
        restoreCertificates();
        if (latestOwnViewChange != null && latestOwnViewChange.message().newView() == view
                && (latestNewView == null || latestNewView.message().view() < view)) {
            viewChanger.restoreOwn(latestOwnViewChange, latestNewView == null ? 0 : latestNewView.message().view());
            if (latestNewView != null) {
                viewChanger.restoreNewView(latestNewView);
            }
            return;
        }
        ctx.enterView(view);
        if (latestNewView != null && latestNewView.message().view() == view) {
            viewChanger.restoreNewView(latestNewView);
            List<ViewChange> plain = new ArrayList<>();
            for (Signed<ViewChange> vc : latestNewView.message().viewChanges()) {
                plain.add(vc.message());
            }
            ctx.viewBase = NewViewBuilder.minS(plain);
        }
        restoreSlots(view);
    }

    /**
     * The first pre-prepare journaled for a slot, unless a later one of the same digest carries the
     * transactions the first lacked: a NEW-VIEW journals O as references, and the entry installed
     * from it follows with the transactions this replica had (RequestBodies).
     */
    private void keep(SlotKey key, Signed<PrePrepare> pp) {
        prePrepares.merge(key, pp, (first, later) -> !first.message().hasBodies() && later.message().hasBodies()
                && later.message().batchDigest().equals(first.message().batchDigest()) ? later : first);
    }

    private void restoreCertificates() {
        for (Map.Entry<SlotKey, Signed<PrePrepare>> e : prePrepares.entrySet()) {
            Map<Integer, Signed<Prepare>> votes = prepares.get(e.getKey());
            if (votes == null) {
                continue;
            }
            PrePrepare pp = e.getValue().message();
            TreeMap<Integer, Signed<Prepare>> matching = new TreeMap<>();
            for (Signed<Prepare> p : votes.values()) {
                if (p.message().batchDigest().equals(pp.batchDigest()) && p.message().replica() != pp.replica()) {
                    matching.put(p.message().replica(), p);
                }
            }
            if (matching.size() >= ctx.quorums().prepares()) {
                certificates.record(new PreparedProof(e.getValue(),
                        new ArrayList<>(matching.values()).subList(0, ctx.quorums().prepares())));
            }
        }
    }

    private void restoreSlots(long view) {
        for (Map.Entry<SlotKey, Signed<PrePrepare>> e : prePrepares.entrySet()) {
            if (e.getKey().view() != view) {
                continue;
            }
            PrePrepare pp = e.getValue().message();
            if (pp.replica() == ctx.self) {
                proposer.restoreProposed(pp.sequence(), pp.timestamp());
            }
            Slot slot = normal.restoreSlot(pp.sequence(), view);
            if (slot == null) {
                continue;
            }
            slot.accept(e.getValue());
            inFlight.add(pp);
            if (pp.sequence() <= ctx.lastDelivered) {
                slot.markDelivered();
            }
            Map<Integer, Signed<Prepare>> votes = prepares.get(e.getKey());
            if (votes != null) {
                for (Signed<Prepare> p : votes.values()) {
                    slot.prepares().add(p);
                }
            }
        }
        for (Signed<Commit> c : commits) {
            if (c.message().view() != view) {
                continue;
            }
            Slot slot = normal.restoreSlot(c.message().sequence(), view);
            if (slot != null && slot.prePrepare() != null && slot.digest().equals(c.message().batchDigest())) {
                slot.commits().add(c);
                slot.markCommitSent();
            }
        }
    }
}
