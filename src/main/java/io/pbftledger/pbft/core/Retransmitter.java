package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.List;

/**
 * Liveness under message loss before view change exists: after retransmitIntervalMs without
 * progress, re-send this replica's own messages for the unstable part of the log, its latest
 * checkpoint, and the requests it relayed that no pre-prepare carried yet. The interval doubles
 * (up to 16x) while nothing progresses, so an idle cluster does not keep the network busy.
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
        return ctx.now - quietSince >= ctx.config.retransmitIntervalMs() * backoff;
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
            if (slot.sequence() <= everywhere) {
                continue; // every replica reported a checkpoint covering it
            }
            if (slot.prePrepare() != null && slot.prePrepare().message().replica() == ctx.self) {
                ctx.out.broadcast(slot.prePrepare());
            }
            Signed<Prepare> prepare = slot.prepares().of(ctx.self);
            if (prepare != null) {
                ctx.out.broadcast(prepare);
            }
            Signed<Commit> commit = slot.commits().of(ctx.self);
            if (commit != null) {
                ctx.out.broadcast(commit);
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
}
