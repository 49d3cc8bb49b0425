package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;

/**
 * Entering a view from its NEW-VIEW: the slots of older views go (their prepared certificates live
 * on in {@link PreparedCertificates}), O's entries are installed and prepared, and the requests
 * waiting at this replica move to the new primary.
 */
final class ViewEntry {
    private final ReplicaContext ctx;
    private final SequenceLog log;
    private final InFlightRequests inFlight;
    private final RelayBuffer relay;
    private final Proposer proposer;
    private final NormalCase normal;
    private final ExecutedRequests executed;
    private final PreparedCertificates certificates;

    ViewEntry(ReplicaContext ctx, SequenceLog log, InFlightRequests inFlight, RelayBuffer relay, Proposer proposer,
            NormalCase normal, ExecutedRequests executed, PreparedCertificates certificates) {
        this.certificates = certificates;
        this.ctx = ctx;
        this.log = log;
        this.inFlight = inFlight;
        this.relay = relay;
        this.proposer = proposer;
        this.normal = normal;
        this.executed = executed;
    }

    void enter(NewView nv, long minS) {
        enter(nv.view(), nv.prePrepares(), minS);
    }

    /**
     * The first view of a new epoch ({@link Epochs}): entered without a NEW-VIEW, with nothing to
     * re-propose; the set's first primary orders from {@code stable} + 1.
     */
    void enterEpoch(long view, long stable) {
        enter(view, List.of(), stable);
    }

    private void enter(long view, List<Signed<PrePrepare>> o, long minS) {
        // O carries references: the transactions come from what this replica holds (RequestBodies).
        RequestBodies bodies = new RequestBodies();
        for (PreparedProof p : certificates.above(minS)) {
            bodies.add(p.prePrepare().message());
        }
        bodies.addAll(relay.requests());
        // Requests of old-view pre-prepares that did not commit here: unless O orders them again they
        // go back to the relay, or nobody but their client would remember them.
        List<ClientRequest> orphaned = new ArrayList<>();
        for (Slot slot : log.clear()) {
            if (slot.prePrepare() != null) {
                PrePrepare old = slot.prePrepare().message();
                inFlight.remove(old);
                bodies.add(old);
                if (slot.sequence() > ctx.lastDelivered && old.hasBodies()) {
                    orphaned.addAll(old.batch());
                }
            }
        }
        normal.clearEarly();
        ctx.viewBase = minS;
        long maxS = minS;
        long maxTimestamp = ctx.lastDeliveredTimestamp;
        boolean backup = ctx.primaryOf(view) != ctx.self;
        for (Signed<PrePrepare> pp : o) {
            maxS = pp.message().sequence();
            maxTimestamp = Math.max(maxTimestamp, pp.message().timestamp());
            if (log.inWindow(pp.message().sequence())) {
                normal.acceptFromNewView(bodies.restore(pp), backup);
            }
        }
        for (ClientRequest r : orphaned) {
            if (!inFlight.contains(RequestKey.of(r)) && !executed.isExecuted(r.clientId(), r.nonce())) {
                relay.add(r);
            }
        }
        if (backup) {
            for (ClientRequest r : proposer.drainQueue()) {
                relay.add(r);
            }
            relay.forwardAllAgain();
        } else {
            proposer.startView(Math.max(maxS, Math.max(log.low(), ctx.lastDelivered)) + 1, maxTimestamp);
            for (ClientRequest r : relay.drainRelayed()) {
                RequestKey key = RequestKey.of(r);
                if (!inFlight.contains(key) && !proposer.isQueued(key) && !executed.isExecuted(r.clientId(), r.nonce())) {
                    proposer.enqueue(key, r, ctx.now);
                }
            }
        }
    }
}
