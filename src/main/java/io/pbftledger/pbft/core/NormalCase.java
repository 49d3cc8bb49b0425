package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;

/**
 * The three phases of the normal case [Castro and Liskov 4.2]: pre-prepare, prepare, commit, and
 * in-order delivery of committed batches.
 */
final class NormalCase {
    private final ReplicaContext ctx;
    private final SequenceLog log;
    private final InFlightRequests inFlight;
    private final RelayBuffer relay;
    private final BatchValidator validator;

    NormalCase(ReplicaContext ctx, SequenceLog log, InFlightRequests inFlight, RelayBuffer relay,
            BatchValidator validator) {
        this.ctx = ctx;
        this.log = log;
        this.inFlight = inFlight;
        this.relay = relay;
        this.validator = validator;
    }

    /** The primary multicasts its pre-prepare; it counts as its vote, so it sends no prepare. */
    void propose(PrePrepare pp) {
        Signed<PrePrepare> signed = ctx.sign(pp);
        Slot slot = log.getOrCreate(pp.sequence(), pp.view());
        slot.accept(signed);
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
        if (reason == null) {
            reason = validator.check(pp, ctx.now, timestampBefore(pp.sequence()), timestampAt(pp.sequence() + 1));
        }
        if (reason != null) {
            ctx.drop(reason);
            return;
        }
        slot = log.getOrCreate(pp.sequence(), pp.view());
        slot.accept(signed);
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
        if (m.view() < ctx.view) {
            return DropReason.OLD_VIEW;
        }
        if (m.view() > ctx.view) {
            return DropReason.FUTURE_VIEW;
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
        if (!slot.commitSent() && slot.isPrepared(ctx.f)) {
            Signed<Commit> commit = ctx.sign(new Commit(ctx.self, slot.view(), slot.sequence(), slot.digest()));
            slot.commits().add(commit);
            slot.markCommitSent();
            ctx.out.persist(commit);
            ctx.out.broadcast(commit);
        }
        if (slot.commitSent() && slot.isCommittedLocal(ctx.f)) {
            slot.markCommitted();
            deliverInOrder();
        }
    }

    /** Hands committed batches to the driver strictly in sequence order, each once. */
    void deliverInOrder() {
        while (true) {
            Slot slot = log.get(ctx.lastDelivered + 1);
            if (slot == null || !slot.committed()) {
                return;
            }
            PrePrepare pp = slot.prePrepare().message();
            CommittedBatch batch = new CommittedBatch(pp.view(), pp.sequence(), pp.timestamp(), pp.replica(),
                    pp.batchDigest(), pp.batch(), slot.commits().select(pp.batchDigest(), 2 * ctx.f + 1, ctx.self));
            delivered(batch);
            slot.markDelivered();
        }
    }

    /** Records a delivery (from this log or from a certified batch fetched from a peer). */
    void delivered(CommittedBatch batch) {
        Invariants.check(batch.sequence() == ctx.lastDelivered + 1, "delivery out of order");
        ctx.out.committed(batch);
        ctx.lastDelivered = batch.sequence();
        ctx.lastDeliveredTimestamp = batch.timestamp();
        ctx.progressed();
    }
}
