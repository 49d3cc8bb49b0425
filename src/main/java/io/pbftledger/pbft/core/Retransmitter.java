package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.Status;
import io.pbftledger.pbft.message.ViewChange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Liveness under message loss, mostly by asking rather than by re-sending everything (Castro and
 * Liskov's status messages). After {@link RetransmitTimeout} without progress a replica sends every
 * peer a STATUS saying which view it entered and how far it committed, with its latest checkpoint, its
 * own VIEW-CHANGE while it changes view, the requests it relayed that no pre-prepare carried yet, and
 * its own messages for the slots it has not committed (where it waits, its own vote may be what was
 * lost). The wait doubles (up to 16x) while nothing progresses, so an idle cluster stays quiet.
 *
 * <p>A peer answers a STATUS with its own messages for the slots above what the sender committed, and
 * only those the sender can still need, judged from what the sender itself sent: a replica that
 * prepared or committed a slot holds its pre-prepare; a replica that committed a slot holds a prepared
 * certificate and needs no prepare; a replica whose checkpoint covers a slot needs nothing of it. A
 * peer that asks again from the same point gets everything: what it sent may predate a restart that
 * lost it. So a replica that lost a message gets it back, and nobody re-sends what arrived.
 *
 * <p>Before this, every replica re-sent all its votes and pre-prepares since the last checkpoint to
 * everybody whenever it had executed nothing for 1 s. Under load a block took longer than that, so
 * each backup received 13 pre-prepares and 43 commits per block and checked every signature again
 * (measured with {@code pbft_messages_received_total}).
 */
final class Retransmitter {
    private static final int MAX_BACKOFF = 16;
    private final ReplicaContext ctx;
    /** When each peer was last answered: a STATUS is answered at most once per half interval. */
    private final Map<Integer, Long> answeredAtMs = new HashMap<>();
    /** What each peer said it committed when it was last answered. */
    private final Map<Integer, Long> answeredCommitted = new HashMap<>();
    private long lastRetransmitMs;
    private int backoff = 1;

    Retransmitter(ReplicaContext ctx) {
        this.ctx = ctx;
    }

    boolean due() {
        // Progress at the same instant as the last STATUS came from its answers (one tick of a simulation).
        if (ctx.lastProgressMs >= lastRetransmitMs) {
            backoff = 1;
        }
        long quietSince = Math.max(ctx.lastProgressMs, lastRetransmitMs);
        return ctx.now - quietSince >= ctx.retransmitTimeout.currentMs() * backoff;
    }

    /**
     * @param enteredView   the view this replica last entered (the current one unless it changes view)
     * @param ownViewChange this replica's VIEW-CHANGE while it changes view, else null
     * @param relayTo       where its relayed, unexecuted requests go again (see Replica#relayTarget)
     */
    void retransmit(SequenceLog log, CheckpointTracker checkpoints, RelayBuffer relay, ExecutedRequests executed,
            long enteredView, Signed<ViewChange> ownViewChange, int relayTo) {
        lastRetransmitMs = ctx.now;
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
        if (ownViewChange != null) {
            ctx.out.broadcast(ownViewChange);
        }
        ctx.out.broadcast(ctx.sign(new Status(ctx.self, enteredView, ctx.lastDelivered)));
        // Where this replica itself waits, its own votes may be what was lost: they go at once, to
        // the peers that may lack them, without waiting for a STATUS. Committed slots wait to be asked.
        long everywhere = checkpoints.executedByAll(ctx.replicas());
        for (Slot slot : log.slots()) {
            if (!slot.committed() && slot.sequence() > everywhere) {
                for (int peer : ctx.replicas().members()) {
                    if (peer != ctx.self && checkpoints.highestOf(peer) < slot.sequence()) {
                        send(peer, slot, false);
                    }
                }
                slot.markResent(); // it commits with what comes back: no sample (Karn)
            }
        }
        if (checkpoints.ownLatest() != null) {
            ctx.out.broadcast(checkpoints.ownLatest());
        }
        if (relayTo != ctx.self && relay.size() > 0) {
            List<ClientRequest> pending = relay.unexecuted(executed);
            if (!pending.isEmpty()) {
                ctx.forwards(pending).forEach(forward -> ctx.out.send(relayTo, forward));
            }
        }
    }

    /**
     * A peer made no progress for a while: it gets this replica's messages for the slots of its view
     * above what it committed, as far as it can still need them. Also while this replica changes view:
     * the votes it sent in the old view are promises made, so sending them again is safe, and a replica
     * still in that view may need exactly one of them to commit.
     */
    void answer(Status status, SequenceLog log, CheckpointTracker checkpoints) {
        int peer = status.replica();
        if (peer == ctx.self || !ctx.replicas().contains(peer)) {
            return;
        }
        Long last = answeredAtMs.get(peer);
        if (last != null && ctx.now - last < Math.max(1, ctx.config.retransmitIntervalMs() / 2)) {
            ctx.drop(DropReason.STATUS_RATE);
            return;
        }
        answeredAtMs.put(peer, ctx.now);
        // Asking again from where it asked last time, it did not get what it needed: what it sent
        // before (the evidence) may be from before a restart that lost it, so it gets everything.
        Long before = answeredCommitted.put(peer, status.lastCommitted());
        boolean stillStuck = before != null && before == status.lastCommitted();
        long executedThere = stillStuck ? status.lastCommitted()
                : Math.max(status.lastCommitted(), checkpoints.highestOf(peer));
        Signed<Checkpoint> checkpoint = checkpoints.ownLatest();
        if (checkpoint != null && checkpoint.message().sequence() > executedThere) {
            ctx.out.send(peer, checkpoint); // with f+1 of them it fetches what it missed
        }
        for (Slot slot : log.slots()) {
            if (slot.sequence() > executedThere && slot.view() == status.view()
                    && (send(peer, slot, stillStuck) | relayPrePrepare(peer, slot, stillStuck))) {
                slot.markResent();
            }
        }
    }

    /**
     * A backup hands on the primary's signed pre-prepare of a slot committed here to a peer that sent
     * no vote for it: the quorum moved past a sequence that peer cannot execute, because the primary's
     * message to it was lost or because a faulty primary left it out on purpose. The primary's
     * signature makes the copy as good as the original, so a starved backup prepares and commits it
     * like any other. One backup relays (the first after the asker, skipping the primary) to keep the
     * copies few; a peer asking again from the same point gets it from every backup, since that one
     * may be faulty.
     */
    private boolean relayPrePrepare(int peer, Slot slot, boolean everyBackup) {
        Signed<PrePrepare> prePrepare = slot.prePrepare();
        // A NEW-VIEW's null request is no PRE-PREPARE anybody accepts alone: the NEW-VIEW carries it.
        if (prePrepare == null || !slot.committed() || slot.bodiesMissing() || prePrepare.message().batch().isEmpty()) {
            return false;
        }
        int primary = prePrepare.message().replica();
        if (primary == ctx.self || primary == peer) {
            return false;
        }
        boolean votedForIt = slot.prepares().of(peer) != null || slot.commits().of(peer) != null;
        if (!everyBackup && (votedForIt || relayerFor(peer, primary) != ctx.self)) {
            return false;
        }
        ctx.out.send(peer, prePrepare);
        return true;
    }

    /** The first replica after {@code peer} that is neither it nor {@code primary}. */
    private int relayerFor(int peer, int primary) {
        int candidate = ctx.replicas().next(peer);
        for (int i = 1; i < ctx.replicas().n(); i++) {
            if (candidate != primary && candidate != peer) {
                return candidate;
            }
            candidate = ctx.replicas().next(candidate);
        }
        return -1;
    }

    /**
     * This replica's own messages for the slot that {@code peer} may still need, or all of them when
     * {@code everything}; true if any went.
     */
    private boolean send(int peer, Slot slot, boolean everything) {
        boolean committed = !everything && slot.commits().of(peer) != null;
        boolean holdsPrePrepare = committed || !everything && slot.prepares().of(peer) != null;
        boolean sent = false;
        Signed<PrePrepare> prePrepare = slot.prePrepare();
        // A pre-prepare without its transactions (a NEW-VIEW reference) is not sent on its own: the
        // NEW-VIEW carries it, and a PRE-PREPARE must carry its batch.
        if (prePrepare != null && prePrepare.message().replica() == ctx.self && !holdsPrePrepare
                && !slot.bodiesMissing()) {
            ctx.out.send(peer, prePrepare);
            sent = true;
        }
        Signed<Prepare> prepare = slot.prepares().of(ctx.self);
        if (prepare != null && !committed) {
            ctx.out.send(peer, prepare);
            sent = true;
        }
        Signed<Commit> commit = slot.commits().of(ctx.self);
        if (commit != null) {
            ctx.out.send(peer, commit);
            sent = true;
        }
        return sent;
    }
}

