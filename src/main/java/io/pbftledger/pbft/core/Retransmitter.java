package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Liveness under message loss: after {@link RetransmitTimeout} without progress, re-send this
 * replica's own messages for the unstable part of the log to the peers that may still need them, its
 * latest checkpoint, and the requests it relayed that no pre-prepare carried yet. The wait doubles
 * (up to 16x) while nothing progresses, so an idle cluster does not keep the network busy.
 *
 * <p>Only what a peer can still need goes to it, judged from what the peer itself sent: a peer whose
 * checkpoint covers a slot executed it and needs nothing of it; a peer that prepared or committed a
 * slot holds its pre-prepare; a peer that committed a slot holds a prepared certificate and needs no
 * prepare. The commits of a slot go to every peer whose checkpoint does not cover it, since nothing a
 * peer sends says that it collected 2f+1 of them. Each message checked again costs a peer a signature
 * check, and a pre-prepare carries a whole batch: before this rule, a loaded cluster re-sent every
 * pre-prepare since the last checkpoint between two blocks (13 per block at a backup, measured).
 */
final class Retransmitter {
    private static final int MAX_BACKOFF = 16;
    private final ReplicaContext ctx;
    private long lastRetransmitMs;
    private int backoff = 1;

    Retransmitter(ReplicaContext ctx) {
        this.ctx = ctx;
    }

    boolean due() {
        if (ctx.lastProgressMs > lastRetransmitMs) {
            backoff = 1;
        }
        long quietSince = Math.max(ctx.lastProgressMs, lastRetransmitMs);
        return ctx.now - quietSince >= ctx.retransmitTimeout.currentMs() * backoff;
    }

    /**
     * @param ownViewChange this replica's VIEW-CHANGE while it changes view, else null
     * @param relayTo       where its relayed, unexecuted requests go again (see Replica#relayTarget)
     */
    void retransmit(SequenceLog log, CheckpointTracker checkpoints, RelayBuffer relay, ExecutedRequests executed,
            Signed<ViewChange> ownViewChange, int relayTo) {
        lastRetransmitMs = ctx.now;
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
        if (ownViewChange != null) {
            ctx.out.broadcast(ownViewChange);
        }
        // Also while changing view: the votes it already sent in the old view are promises made, so
        // re-sending them is safe, and a replica still in that view may need exactly one of them to
        // commit (otherwise it waits for the next checkpoint, forever if the cluster is idle).
        long everywhere = checkpoints.executedByAll(ctx.n);
        for (Slot slot : log.slots()) {
            if (slot.sequence() > everywhere) {
                resend(slot, checkpoints);
            }
        }
        if (checkpoints.ownLatest() != null) {
            ctx.out.broadcast(checkpoints.ownLatest());
        }
        if (relayTo != ctx.self && relay.size() > 0) {
            List<ClientRequest> pending = relay.unexecuted(executed);
            if (!pending.isEmpty()) {
                ctx.out.send(relayTo, ctx.sign(new Forward(ctx.self, pending)));
            }
        }
    }

    private void resend(Slot slot, CheckpointTracker checkpoints) {
        Signed<PrePrepare> prePrepare = slot.prePrepare();
        boolean ownPrePrepare = prePrepare != null && prePrepare.message().replica() == ctx.self;
        Signed<Prepare> prepare = slot.prepares().of(ctx.self);
        Signed<Commit> commit = slot.commits().of(ctx.self);
        List<Integer> needPrePrepare = new ArrayList<>();
        List<Integer> needPrepare = new ArrayList<>();
        List<Integer> needCommit = new ArrayList<>();
        for (int peer = 0; peer < ctx.n; peer++) {
            if (peer == ctx.self || checkpoints.highestOf(peer) >= slot.sequence()) {
                continue; // it executed the slot
            }
            boolean committed = slot.commits().of(peer) != null;
            if (ownPrePrepare && !committed && slot.prepares().of(peer) == null) {
                needPrePrepare.add(peer);
            }
            if (prepare != null && !committed) {
                needPrepare.add(peer);
            }
            if (commit != null) {
                needCommit.add(peer);
            }
        }
        boolean sent = send(prePrepare, needPrePrepare) | send(prepare, needPrepare) | send(commit, needCommit);
        if (sent) {
            slot.markResent();
        }
    }

    /** One broadcast when every peer needs the message, else one send per peer that does. */
    private boolean send(Signed<? extends PbftMessage> message, List<Integer> peers) {
        if (peers.isEmpty()) {
            return false;
        }
        if (peers.size() == ctx.n - 1) {
            ctx.out.broadcast(message);
        } else {
            for (int peer : peers) {
                ctx.out.send(peer, message);
            }
        }
        return true;
    }
}
