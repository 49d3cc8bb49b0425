package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The three phases of the normal case [Castro and Liskov 4.2]: pre-prepare, prepare, commit, and
 * in-order delivery of committed batches.
 *
 * <h2>Why committed timestamps never go backwards, even under a Byzantine primary</h2>
 * A backup prepares the pre-prepare for n in view v only after it accepted one for n-1 in the same
 * view, with ts(n) >= ts(n-1), or when n-1 is settled for it (at or below what it delivered, its low
 * watermark, or the new view's min-s), with ts(n) >= the timestamp of the last batch it delivered.
 * Earlier pre-prepares wait in a bounded buffer. A batch that prepares at (v, n) was accepted by
 * 2f+1 replicas, f+1 of them correct; the f+1 correct ones that accepted the batch prepared at
 * (v, n-1) (2f+1 accepted it) and those f+1 share a correct replica (2f+2 > 2f+1 correct replicas),
 * whose chain ties ts(n) to the prepared ts(n-1). Across a view change O carries the prepared
 * batches with their original timestamps, and null requests carry the timestamp before them, so the
 * chain continues into the new view. Checkpoint boundaries are covered the same way: f+1 correct
 * replicas that executed the checkpoint check against the last delivered timestamp.
 */
final class NormalCase {
    /** Told about each signed ordering message of a view above this replica's. */
    interface FutureViewListener {
        void seen(int replica, long view);
    }

    private final ReplicaContext ctx;
    private final SequenceLog log;
    private final InFlightRequests inFlight;
    private final RelayBuffer relay;
    private final BatchValidator validator;
    private final PreparedCertificates certificates;
    private final IntConsumer staleSender;
    private final FutureViewListener futureView;
    private final Runnable onDelivery;
    /** Digests of the batches delivered above the stable checkpoint: never vote for another one there. */
    private final TreeMap<Long, Digest> deliveredDigests = new TreeMap<>();
    /** Pre-prepares whose predecessor is not accepted yet, one per sequence inside the window. */
    private final TreeMap<Long, Signed<PrePrepare>> early = new TreeMap<>();

    NormalCase(ReplicaContext ctx, SequenceLog log, InFlightRequests inFlight, RelayBuffer relay,
            BatchValidator validator, PreparedCertificates certificates, IntConsumer staleSender,
            FutureViewListener futureView, Runnable onDelivery) {
        this.futureView = futureView;
        this.ctx = ctx;
        this.log = log;
        this.inFlight = inFlight;
        this.relay = relay;
        this.validator = validator;
        this.certificates = certificates;
        this.staleSender = staleSender;
        this.onDelivery = onDelivery;
    }

    /** The primary multicasts its pre-prepare; it counts as its vote, so it sends no prepare. */
    void propose(PrePrepare pp) {
        Signed<PrePrepare> signed = ctx.sign(pp);
        Slot slot = log.getOrCreate(pp.sequence(), pp.view());
        slot.accept(signed, ctx.now);
        inFlight.add(pp);
        ctx.out.persist(signed);
        ctx.out.broadcast(signed);
        advance(slot);
    }

    void onPrePrepare(Signed<PrePrepare> signed) {
        PrePrepare pp = signed.message();
        DropReason reason = checkViewAndWindow(pp);
        if (reason == null && pp.replica() != ctx.primaryOf(pp.view())) {
            reason = DropReason.WRONG_PRIMARY;
        }
        Slot slot = log.get(pp.sequence());
        if (reason == null && slot != null && slot.prePrepare() != null) {
            reason = slot.digest().equals(pp.batchDigest())
                    ? DropReason.DUPLICATE : DropReason.CONFLICTING_PRE_PREPARE;
        }
        if (reason == null && pp.sequence() <= ctx.lastDelivered) {
            // Delivered from a peer's commit certificate while this slot missed its pre-prepare.
            reason = DropReason.ALREADY_DELIVERED;
        }
        if (reason == null && (!predecessorSettled(pp.sequence()) || pp.sequence() > ctx.voteLimit()
                || (pp.batch().isEmpty() && pp.sequence() > ctx.lastExecuted + 1))) {
            // Held until n-1 is settled and this replica executed the checkpoint below n (Epochs); an
            // empty batch until it executed n-1, so that it knows of any change that allows it there.
            reason = bufferEarly(signed);
        }
        if (reason == null) {
            reason = validator.check(pp, ctx.now, timestampBefore(pp.sequence()), timestampAt(pp.sequence() + 1),
                    ctx.fillLimit());
        }
        if (reason != null) {
            ctx.drop(reason);
            return;
        }
        slot = log.getOrCreate(pp.sequence(), pp.view());
        slot.accept(signed, ctx.now);
        inFlight.add(pp);
        for (ClientRequest r : pp.batch()) {
            relay.ordered(r);
        }
        Signed<Prepare> prepare = ctx.sign(new Prepare(ctx.self, pp.view(), pp.sequence(), pp.batchDigest()));
        slot.prepares().add(prepare);
        // The accepted pre-prepare is logged too: a later view change must be able to prove it.
        ctx.out.persist(signed);
        ctx.out.persist(prepare);
        ctx.out.broadcast(prepare);
        advance(slot);
        Signed<PrePrepare> next = early.remove(pp.sequence() + 1);
        if (next != null) {
            onPrePrepare(next);
        }
    }

    /** n-1 is accepted in this view or settled for this replica (see the class comment). */
    private boolean predecessorSettled(long sequence) {
        long previous = sequence - 1;
        if (previous <= Math.max(ctx.lastDelivered, Math.max(ctx.viewBase, log.low()))) {
            return true;
        }
        Slot slot = log.get(previous);
        return slot != null && slot.prePrepare() != null;
    }

    private DropReason bufferEarly(Signed<PrePrepare> signed) {
        Signed<PrePrepare> held = early.putIfAbsent(signed.message().sequence(), signed);
        if (held == null) {
            return DropReason.BUFFERED_EARLY_PRE_PREPARE;
        }
        return held.message().batchDigest().equals(signed.message().batchDigest())
                ? DropReason.DUPLICATE : DropReason.CONFLICTING_PRE_PREPARE;
    }

    /** Forgets buffered pre-prepares and delivered digests at or below h (a new stable checkpoint). */
    void dropEarlyUpTo(long sequence) {
        early.headMap(sequence, true).clear();
        deliveredDigests.headMap(sequence, true).clear();
    }

    /**
     * Pre-prepares whose predecessor became settled (by catch-up or a new low watermark), and that the
     * gate now lets through (the checkpoint below them executed), are tried again.
     */
    void retryEarly() {
        while (!early.isEmpty() && predecessorSettled(early.firstKey()) && early.firstKey() <= ctx.voteLimit()
                && (!early.firstEntry().getValue().message().batch().isEmpty() || early.firstKey() <= ctx.lastExecuted + 1)) {
            onPrePrepare(early.pollFirstEntry().getValue());
        }
    }

    void clearEarly() {
        early.clear();
    }

    int earlyCount() {
        return early.size();
    }

    /**
     * Installs an entry of a NEW-VIEW's O: the new primary's pre-prepare is accepted as it is (backups
     * checked O by recomputing it) and a backup prepares it, even at a sequence it already executed,
     * so that replicas still missing it can commit it; execution is never repeated.
     */
    void acceptFromNewView(Signed<PrePrepare> signed, boolean backup) {
        PrePrepare pp = signed.message();
        Digest delivered = deliveredDigests.get(pp.sequence());
        if (delivered != null && !delivered.equals(pp.batchDigest())) {
            ctx.drop(DropReason.CONFLICTS_WITH_DELIVERED);
            return;
        }
        Slot slot = log.getOrCreate(pp.sequence(), pp.view());
        slot.accept(signed);
        inFlight.add(pp);
        for (ClientRequest r : pp.batch()) {
            relay.ordered(r);
        }
        if (backup || (pp.hasBodies() && !pp.batch().isEmpty())) {
            // The NEW-VIEW in the journal has O as references; this copy keeps the transactions found here.
            ctx.out.persist(signed);
        }
        if (backup) {
            Signed<Prepare> prepare = ctx.sign(new Prepare(ctx.self, pp.view(), pp.sequence(), pp.batchDigest()));
            slot.prepares().add(prepare);
            ctx.out.persist(prepare);
            ctx.out.broadcast(prepare);
        }
        if (pp.sequence() <= ctx.lastDelivered) {
            slot.markDelivered();
        }
        advance(slot);
    }

    /** Restores a slot from the journal after a restart, without output. */
    Slot restoreSlot(long sequence, long view) {
        return log.inWindow(sequence) ? log.getOrCreate(sequence, view) : null;
    }

    void onPrepare(Signed<Prepare> signed) {
        Prepare p = signed.message();
        DropReason reason = checkViewAndWindow(p);
        if (reason == null && p.replica() == ctx.primaryOf(p.view())) {
            reason = DropReason.PREPARE_FROM_PRIMARY;
        }
        if (reason != null) {
            ctx.drop(reason);
            return;
        }
        Slot slot = log.getOrCreate(p.sequence(), p.view());
        if (counted(slot.prepares().add(signed))) {
            advance(slot);
        }
    }

    void onCommit(Signed<Commit> signed) {
        Commit c = signed.message();
        DropReason reason = checkViewAndWindow(c);
        if (reason != null) {
            ctx.drop(reason);
            return;
        }
        Slot slot = log.getOrCreate(c.sequence(), c.view());
        if (counted(slot.commits().add(signed))) {
            int quorum = ctx.quorums().quorum();
            if (slot.commits().size() >= quorum && slot.commits().digestWith(quorum) != null) {
                slot.commitQuorumSeen(ctx.now); // see Replica#catchUpTarget
            }
            advance(slot);
        }
    }

    private boolean counted(VoteSet.AddResult result) {
        if (result == VoteSet.AddResult.DUPLICATE) {
            ctx.drop(DropReason.DUPLICATE);
        } else if (result == VoteSet.AddResult.CONFLICT) {
            ctx.drop(DropReason.CONFLICTING_VOTE);
        }
        return result == VoteSet.AddResult.ADDED;
    }

    private DropReason checkViewAndWindow(OrderingMessage m) {
        if (m.view() < ctx.view()) {
            staleSender.accept(m.replica());
            return DropReason.OLD_VIEW;
        }
        if (m.view() > ctx.view()) {
            futureView.seen(m.replica(), m.view());
            return DropReason.FUTURE_VIEW;
        }
        if (ctx.changing()) {
            return DropReason.IN_VIEW_CHANGE;
        }
        return log.inWindow(m.sequence()) ? null : DropReason.OUTSIDE_WINDOW;
    }

    /** A lower bound for the timestamp at {@code sequence}: timestamps never go backwards. */
    private long timestampBefore(long sequence) {
        long known = timestampAt(sequence - 1);
        return sequence > ctx.lastDelivered ? Math.max(known, ctx.lastDeliveredTimestamp) : known;
    }

    private long timestampAt(long sequence) {
        Slot slot = log.get(sequence);
        return slot == null || slot.prePrepare() == null ? -1 : slot.prePrepare().message().timestamp();
    }

    /** Moves a slot through prepared and committed-local as far as its votes allow. */
    private void advance(Slot slot) {
        if (slot.prePrepare() == null || slot.committed()) {
            return;
        }
        if (!slot.commitSent() && slot.isPrepared(ctx.quorums())) {
            List<Signed<Prepare>> prepares = slot.prepares().select(slot.digest(), ctx.quorums().prepares(), ctx.self);
            certificates.record(new PreparedProof(slot.prePrepare(), prepares));
            // The others' prepares go to the journal too: after a restart this replica must still be
            // able to prove in a VIEW-CHANGE that the batch prepared, or a committed batch could be lost.
            for (Signed<Prepare> p : prepares) {
                if (p.message().replica() != ctx.self) {
                    ctx.out.persist(p);
                }
            }
            Signed<Commit> commit = ctx.sign(new Commit(ctx.self, slot.view(), slot.sequence(), slot.digest()));
            slot.commits().add(commit);
            slot.markCommitSent();
            ctx.out.persist(commit);
            ctx.out.broadcast(commit);
        }
        if (slot.commitSent() && slot.isCommittedLocal(ctx.quorums())) {
            slot.markCommitted();
            if (slot.timedFromMs() >= 0) {
                ctx.retransmitTimeout.sample(ctx.now - slot.timedFromMs());
            }
            deliverInOrder();
        }
    }

    /** Hands committed batches to the driver strictly in sequence order, each once. */
    void deliverInOrder() {
        while (true) {
            Slot slot = log.get(ctx.lastDelivered + 1);
            if (slot == null || !slot.committed() || slot.bodiesMissing()) {
                return; // without its transactions the batch comes from a peer (bodiesNeededUpTo)
            }
            PrePrepare pp = slot.prePrepare().message();
            CommittedBatch batch = new CommittedBatch(pp.view(), pp.sequence(), pp.timestamp(), pp.replica(),
                    pp.batchDigest(), pp.batch(), slot.commits().select(pp.batchDigest(), ctx.quorums().quorum(), ctx.self));
            delivered(batch);
            slot.markDelivered();
        }
    }

    /**
     * When the next batch to deliver committed here but its transactions are missing (a NEW-VIEW
     * reference this replica could not fill from its own log), the last sequence of the committed run
     * starting there: fetch committed batches up to it from peers. Otherwise -1.
     */
    long bodiesNeededUpTo() {
        Slot next = log.get(ctx.lastDelivered + 1);
        if (next == null || !next.committed() || !next.bodiesMissing()) {
            return -1;
        }
        long last = next.sequence();
        for (Slot s = log.get(last + 1); s != null && s.committed(); s = log.get(last + 1)) {
            last++;
        }
        return last;
    }

    /** Records a delivery (from this log or from a certified batch fetched from a peer). */
    void delivered(CommittedBatch batch) {
        Invariants.check(batch.sequence() == ctx.lastDelivered + 1, "delivery out of order");
        for (ClientRequest r : batch.requests()) {
            Invariants.check(!r.isReference(), "a delivered batch must carry its transactions");
        }
        ctx.out.committed(batch);
        deliveredDigests.put(batch.sequence(), batch.batchDigest());
        if (deliveredDigests.size() > 2 * ctx.config.watermarkWindow()) {
            deliveredDigests.pollFirstEntry(); // delivered far beyond a stuck checkpoint: keep the newest
        }
        ctx.lastDelivered = batch.sequence();
        // Null requests may carry an older timestamp (see NewViewBuilder); the bound only ever rises.
        ctx.lastDeliveredTimestamp = Math.max(ctx.lastDeliveredTimestamp, batch.timestamp());
        ctx.progressed();
        onDelivery.run();
    }
}
