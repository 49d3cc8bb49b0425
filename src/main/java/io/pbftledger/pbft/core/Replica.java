package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.pbft.message.Status;
import io.pbftledger.pbft.message.ViewChange;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One PBFT replica as a pure, single-threaded state machine (no threads, clocks, I/O or randomness).
 * Inputs: verified messages ({@link #step}), client requests ({@link #submit}), time ({@link #tick})
 * and execution reports ({@link #executed}). Outputs are collected in a {@link Ready}, which the
 * driver handles in the etcd-io/raft order: persist, send, execute, then {@link #advance}.
 */
public final class Replica {
    private final ReplicaContext ctx;
    private final ExecutedRequests executed;
    private final SequenceLog log;
    private final CheckpointTracker checkpoints;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final RelayBuffer relay;
    private final Proposer proposer;
    private final NormalCase normal;
    private final Retransmitter retransmitter;
    private final PreparedCertificates certificates = new PreparedCertificates();
    private final ViewTimer timer;
    private final ViewChanger viewChanger;
    private Ready outstanding;
    private boolean ticked;

    /**
     * @param domain the chain this replica signs for and whose signatures it accepts in nested proofs
     *     (see {@link io.pbftledger.pbft.message.MessageCodec#signingBytes})
     */
    public Replica(ReplicaConfig config, SigningDomain domain, MessageSigner signer, MessageVerifier verifier,
            ExecutedRequests executed, RecoveredState recovered) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(recovered, "recovered");
        this.executed = Objects.requireNonNull(executed, "executed");
        this.ctx = new ReplicaContext(config, domain, signer, recovered);
        long e = recovered.lastExecutedSequence();
        StableCheckpoint stable = recovered.stableCheckpoint();
        ctx.epochs.restore(recovered.replicaSetChanges(), stable != null ? stable.sequence() : 0);
        // Without a stored proof the genesis is the stable checkpoint: h must be one this replica can
        // prove in a VIEW-CHANGE, or its view changes would be refused by every other replica.
        long low = stable != null ? stable.sequence() : 0;
        this.log = new SequenceLog(low, config.watermarkWindow(), JournalReplay.highestSequence(recovered.journal()));
        this.checkpoints = stable != null
                ? new CheckpointTracker(ctx.epochs, config.watermarkWindow(), config.checkpointInterval(), stable)
                : new CheckpointTracker(ctx.epochs, config.watermarkWindow(), config.checkpointInterval(), low);
        this.timer = new ViewTimer(config.viewChangeTimeoutMs());
        this.relay = new RelayBuffer(ctx, config.proposalQueueMaxRequests(), timer);
        this.proposer = new Proposer(config, Math.max(e, low), recovered.lastExecutedTimestamp());
        // NormalCase reports what it sees of other views; this replica routes it to the view changer.
        this.normal = new NormalCase(ctx, log, inFlight, relay, new BatchValidator(config, executed, inFlight),
                certificates, this::staleSenderSeen, this::futureViewSeen, () -> timer.progressed(ctx.now));
        ViewEntry entry = new ViewEntry(ctx, log, inFlight, relay, proposer, normal, executed, certificates);
        ProofChecker proofs = new ProofChecker(ctx.epochs, config.watermarkWindow(), domain, verifier);
        this.viewChanger = new ViewChanger(ctx, proofs, checkpoints, certificates, timer, entry, this::adoptStable);
        this.retransmitter = new Retransmitter(ctx);
        new JournalReplay(ctx, viewChanger, normal, inFlight, proposer, certificates).replay(recovered.journal());
        RecoveredState.ExecutedCheckpoint executedCheckpoint = recovered.executedCheckpoint();
        if (executedCheckpoint != null && executedCheckpoint.sequence() % config.checkpointInterval() == 0
                && executedCheckpoint.sequence() > checkpoints.stableSequence()) {
            voteCheckpoint(executedCheckpoint.sequence(), executedCheckpoint.stateDigest());
        }
    }

    /** Not a member of the set in force: removed by a change, or added by one not yet in effect. */
    private boolean removed() {
        return !ctx.replicas().contains(ctx.self);
    }

    /** Why a message of another epoch than this replica's counts for nothing here, or null. */
    private DropReason epochCheck(PbftMessage m) {
        long view;
        if (m instanceof OrderingMessage o) {
            view = o.view();
        } else if (m instanceof ViewChange vc) {
            view = vc.newView();
        } else if (m instanceof NewView nv) {
            view = nv.view();
        } else if (m instanceof Status st) {
            view = st.view();
        } else {
            return null; // checkpoints and forwarded requests are judged by their sequence and content
        }
        long epoch = Epochs.epochOfView(view);
        if (epoch == ctx.epochs.number()) {
            return null;
        }
        return epoch < ctx.epochs.number() ? DropReason.OLD_EPOCH : DropReason.FUTURE_EPOCH;
    }

    /** A replica still working in an older view: the view changer helps it on. */
    private void staleSenderSeen(int replica) {
        viewChanger.helpLaggard(replica);
    }

    /** A replica working in a higher view: f+1 of them make this one join (see {@link HigherViews}). */
    private void futureViewSeen(int replica, long view) {
        viewChanger.futureViewSeen(replica, view);
    }

    /** A signature-verified message from member {@code message.replica()}; protocol rules are checked here. */
    @SuppressWarnings("unchecked")
    public void step(Signed<? extends PbftMessage> message) {
        PbftMessage m = message.message();
        DropReason epoch = epochCheck(m);
        if (m.replica() == ctx.self) {
            ctx.drop(DropReason.OWN_MESSAGE);
        } else if (removed() && !(m instanceof Checkpoint)) {
            // Checkpoints still count: f+1 of them above what a replica that is about to join (or
            // was removed) delivered tell it to fetch the chain by state transfer.
            ctx.drop(DropReason.SELF_NOT_A_MEMBER);
        } else if (epoch != null) {
            ctx.drop(epoch);
            if (epoch == DropReason.OLD_EPOCH && (m instanceof ViewChange || m instanceof Status)) {
                viewChanger.shareStableCheckpoint(m.replica()); // it catches up from our checkpoint
            }
        } else if (!ctx.replicas().contains(m.replica())) {
            ctx.drop(DropReason.NOT_A_MEMBER);
        } else if (m instanceof PrePrepare) {
            normal.onPrePrepare((Signed<PrePrepare>) message);
        } else if (m instanceof Prepare) {
            normal.onPrepare((Signed<Prepare>) message);
        } else if (m instanceof Commit) {
            normal.onCommit((Signed<Commit>) message);
        } else if (m instanceof Checkpoint) {
            onCheckpoint((Signed<Checkpoint>) message);
        } else if (m instanceof Forward f) {
            onForward(f);
        } else if (m instanceof ViewChange) {
            viewChanger.onViewChange((Signed<ViewChange>) message);
        } else if (m instanceof NewView) {
            viewChanger.onNewView((Signed<NewView>) message);
        } else if (m instanceof Status status) {
            onStatus(status);
        }
        proposeDue();
    }

    /**
     * A client request this replica's mempool accepted. The primary queues it once (unless executed,
     * queued or in flight) and never drops it; a backup relays it to the primary in one FORWARD per
     * Ready and keeps it until it sees it ordered.
     */
    public void submit(ClientRequest request) {
        Objects.requireNonNull(request, "request");
        if (removed()) {
            ctx.drop(DropReason.SELF_NOT_A_MEMBER);
            return;
        }
        accept(request, ctx.self);
    }

    /**
     * @param source this replica when it accepted the request itself (its mempool bounds how many),
     *               else the replica that forwarded it (which keeps it until it is ordered)
     */
    private void accept(ClientRequest request, int source) {
        boolean held = source == ctx.self;
        RequestKey key = RequestKey.of(request);
        if (inFlight.contains(key) || executed.isExecuted(request.clientId(), request.nonce())) {
            return;
        }
        if (!ctx.isPrimary() || ctx.changing()) {
            // During a view change the request waits here and goes to the new primary on entry.
            // Never back to the replica that forwarded it (it holds it): see RelayBuffer#add.
            if (!relay.add(request, held, held || source != relayTarget())) {
                ctx.drop(DropReason.RELAY_FULL);
            }
            return;
        }
        if (proposer.isQueued(key)) {
            return;
        }
        if (held) {
            proposer.enqueue(key, request, ctx.now);
        } else {
            FairQueue.Added added = proposer.enqueueForwarded(key, request, source, ctx.now);
            if (added == FairQueue.Added.REFUSED) {
                ctx.drop(DropReason.QUEUE_FULL);
                return;
            }
            if (added == FairQueue.Added.QUEUED_DISPLACING_ANOTHER) {
                ctx.drop(DropReason.QUEUE_DISPLACED);
            }
        }
        proposeDue();
    }

    /** Wall-clock (or simulated) time; it never goes backwards inside the core. */
    public void tick(long nowMillis) {
        ctx.now = Math.max(ctx.now, nowMillis);
        if (removed()) {
            return; // a removed replica keeps no timers: it asks for no view and proposes nothing
        }
        if (!ticked) {
            // Requests submitted before the clock first moved (at start or restart) age from here on.
            timer.restartAges(ctx.now);
            viewChanger.holdAssist();
            ticked = true;
        }
        proposeDue();
        long viewBefore = ctx.view();
        boolean changingBefore = ctx.changing();
        if (!ctx.changing() && behindQuorum()) {
            timer.behindQuorum(ctx.now);
            viewChanger.tick(false, -1);
        } else {
            viewChanger.tick(waitingForExecution(), oldestWaitingSinceMs());
        }
        if (!ctx.changing()) {
            if (behindForAssist()) {
                viewChanger.holdAssist();
            } else {
                viewChanger.assistIfDue();
            }
        }
        if (ctx.changing() && (!changingBefore || ctx.view() != viewBefore)) {
            shareWaitingRequests();
        }
        if (retransmitter.due()) {
            retransmitter.retransmit(log, checkpoints, relay, executed, ctx.enteredView(),
                    viewChanger.own(), relayTarget());
            relay.markAllSent();
        } else {
            // Under load progress never pauses for the retransmitter: a relayed request that waited half
            // a request-timer period while others committed is forwarded again by itself, so a FORWARD
            // lost on the way reaches the primary before the request's own timer would replace it.
            relay.resendDue(ctx.config.viewChangeTimeoutMs() / 2);
        }
    }

    /**
     * This backup's request timer expired: it hands the requests it waits for to every replica, so
     * the other backups' timers run too and f+1 of them can pull the rest into the next view even
     * when the client sent its request to this replica alone.
     */
    private void shareWaitingRequests() {
        List<ClientRequest> waiting = relay.unexecuted(executed);
        if (waiting.isEmpty()) {
            return;
        }
        int max = ctx.config.batchMaxTransactions();
        List<ClientRequest> share = waiting.size() <= max ? waiting : waiting.subList(0, max);
        ctx.forwards(share).forEach(ctx.out::broadcast);
    }

    /**
     * Since when the oldest relayed request waits to be ordered, or -1. Before it counts as overdue,
     * requests executed meanwhile without passing through this log (state transfer) are forgotten:
     * a database question only when the timer would otherwise fire.
     */
    private long oldestWaitingSinceMs() {
        long oldest = relay.oldestWaitingSinceMs();
        if (timer.requestOverdue(ctx.now, oldest)) {
            relay.unexecuted(executed);
            oldest = relay.oldestWaitingSinceMs();
        }
        return oldest;
    }

    /**
     * The others got further than this replica can deliver: f+1 checkpoints above what it delivered,
     * a stable checkpoint above it, or 2f+1 COMMITs of the current view for a sequence above it, held
     * for less than two retransmit timeouts (when it fetches the certified batches) and a view-change
     * timeout more. The view works; what this replica waits for (perhaps executed by the others
     * already) comes by catch-up, not by replacing the primary. A primary can keep at most f correct
     * backups behind (it needs 2f+1 for a commit), so f+1 correct ones still time out on it. A commit
     * quorum that the fetch did not get this replica past no longer counts (ViewTimer#commitQuorumStillAhead).
     */
    private boolean behindQuorum() {
        return behindCheckpoints() || commitCertificateAbove();
    }

    /** A stable checkpoint, or f+1 matching checkpoints, above what this replica delivered. */
    private boolean behindCheckpoints() {
        return log.low() > ctx.lastDelivered || checkpoints.provenAbove(ctx.lastDelivered).isPresent();
    }

    /**
     * Behind, as far as the assisted view change is concerned: as {@link #behindQuorum}, except that
     * commit certificates above what it delivered do not count while the next sequence to deliver is
     * prepared here and waits only for COMMITs. Then this replica holds all the others could have had,
     * and what it waits for may be exactly the vote of the replica alone in a view change (with a faulty
     * replica committing later sequences but not that one, every correct replica still in the view
     * would otherwise think itself behind, and nobody would bring the lone replica back).
     */
    private boolean behindForAssist() {
        if (behindCheckpoints()) {
            return true;
        }
        Slot next = log.get(ctx.lastDelivered + 1);
        boolean waitsOnlyForCommits = next != null && next.view() == ctx.view() && next.isPrepared(ctx.quorums())
                && !next.committed();
        return !waitsOnlyForCommits && commitCertificateAbove();
    }

    /** 2f+1 matching COMMITs of the current view for a sequence above what this replica delivered. */
    private boolean commitCertificateAbove() {
        for (Slot slot : log.slots()) {
            if (slot.sequence() > ctx.lastDelivered && slot.view() == ctx.view()
                    && slot.commits().digestWith(ctx.quorums().quorum()) != null) {
                return timer.commitQuorumStillAhead(ctx.now, ctx.lastDelivered,
                        2 * ctx.retransmitTimeout.currentMs() + timer.timeoutMs());
            }
        }
        timer.noCommitQuorumAhead();
        return false;
    }

    /** A pre-prepare this replica accepted is not delivered yet (requests not ordered age on their own). */
    private boolean waitingForExecution() {
        Slot last = log.lastWithPrePrepare();
        return last != null && last.sequence() > ctx.lastDelivered;
    }

    /**
     * The driver executed, at {@code sequence}, a change of the replica set to {@code next}. It calls
     * this before {@link #executed} for that sequence, after a restart for a change executed but not
     * yet in effect, and for a change in blocks state transfer proved (certified, perhaps above what
     * this replica delivered) before it hands those over. Changes come in the order they were
     * executed. The current epoch then ends at the first checkpoint at or above {@code sequence}:
     * nobody votes above it until that checkpoint is stable (see {@link Epochs}).
     */
    public void replicaSetChanged(long sequence, ReplicaSet next) {
        Objects.requireNonNull(next, "next");
        ctx.epochs.schedule(sequence, next);
        // A replica catching up may hold a stable checkpoint at or past the boundary already.
        switchEpochIfDue(checkpoints.stableSequence());
        // ... whose proof it chose by the set it knew then, perhaps not the one ordering it after all.
        repairStableProof();
    }

    /** See {@link CheckpointTracker#repairStableProof}: a VIEW-CHANGE standing with the old proof goes again. */
    private void repairStableProof() {
        if (checkpoints.repairStableProof(ctx.self)) {
            viewChanger.stableProofRepaired();
        }
    }

    /** When the stable checkpoint reached a pending change's boundary, the next set orders from here on. */
    private void switchEpochIfDue(long stableSequence) {
        if (ctx.epochs.advance(stableSequence)) {
            checkpoints.replicaSet(ctx.replicas());
            viewChanger.enterEpoch(ctx.epochs.firstSequence() - 1);
        }
    }

    /** The driver executed and stored the batch at {@code sequence}; checkpoints every K sequences. */
    public void executed(long sequence, Digest stateDigest) {
        Objects.requireNonNull(stateDigest, "stateDigest");
        Invariants.check(sequence == ctx.lastExecuted + 1, "executed " + sequence + " after " + ctx.lastExecuted);
        Invariants.check(sequence <= ctx.lastDelivered, "executed " + sequence + " before it was delivered");
        ctx.lastExecuted = sequence;
        inFlight.executedUpTo(sequence);
        normal.retryEarly(); // the gate may have opened for the next checkpoint interval
        proposeDue(); // a batch held back while the pipeline was full (or the gate closed) may go now
        if (sequence % ctx.config.checkpointInterval() != 0 || sequence <= checkpoints.stableSequence()) {
            return;
        }
        voteCheckpoint(sequence, stateDigest);
    }

    private void voteCheckpoint(long sequence, Digest stateDigest) {
        Signed<Checkpoint> own = ctx.sign(new Checkpoint(ctx.self, sequence, stateDigest));
        checkpoints.recordOwn(own);
        ctx.out.broadcast(own);
        addCheckpoint(own);
    }

    private void onCheckpoint(Signed<Checkpoint> vote) {
        addCheckpoint(vote);
    }

    private void addCheckpoint(Signed<Checkpoint> vote) {
        long evictedBefore = checkpoints.evicted();
        CheckpointTracker.Result result = checkpoints.add(vote);
        if (checkpoints.evicted() > evictedBefore) {
            ctx.drop(DropReason.CHECKPOINT_QUOTA);
        }
        switch (result) {
            case STALE -> {
                ctx.drop(DropReason.STALE_CHECKPOINT);
                repairStableProof(); // one more vote for the stable checkpoint may complete its proof
            }
            case OFF_INTERVAL -> ctx.drop(DropReason.CHECKPOINT_OFF_INTERVAL);
            case DUPLICATE -> ctx.drop(DropReason.DUPLICATE);
            case CONFLICT -> ctx.drop(DropReason.CONFLICTING_VOTE);
            case ADDED -> {
                StableCheckpoint stable = checkpoints.newlyStable(ctx.self);
                if (stable != null) {
                    becomeStable(stable);
                }
            }
        }
    }

    /** 2f+1 matching checkpoints: move h (and H) up and garbage-collect everything at or below it. */
    private void becomeStable(StableCheckpoint stable) {
        checkpoints.makeStable(stable);
        ctx.out.stable(stable);
        for (Slot slot : log.advanceLow(stable.sequence())) {
            if (slot.prePrepare() != null) {
                inFlight.collected(slot.prePrepare().message(), ctx.lastExecuted);
            }
        }
        certificates.collectUpTo(stable.sequence());
        normal.dropEarlyUpTo(stable.sequence());
        proposer.skipTo(stable.sequence());
        ctx.progressed();
        switchEpochIfDue(stable.sequence());
        normal.retryEarly();
    }

    /** A NEW-VIEW's min-s lies above this replica's stable checkpoint: V carries its proof. */
    private void adoptStable(StableCheckpoint stable) {
        if (stable.sequence() > checkpoints.stableSequence()) {
            becomeStable(stable);
        }
    }

    /**
     * A peer made no progress for a while. In an older view it gets the NEW-VIEW that started ours; in
     * a newer one it counts as seen there (f+1 of them pull this replica along); in ours it gets what it
     * may lack above what it committed.
     */
    private void onStatus(Status status) {
        if (status.view() < ctx.view()) {
            viewChanger.helpLaggard(status.replica());
        } else if (status.view() > ctx.view()) {
            viewChanger.futureViewSeen(status.replica(), status.view());
        }
        retransmitter.answer(status, log, checkpoints);
    }

    /**
     * Requests relayed by another replica. The primary queues them; a backup treats them as if a
     * client had sent them to it (relays them to the primary and starts its request timer) — they
     * come from a backup whose timer expired, as a PBFT client re-sends to all replicas on timeout.
     */
    private void onForward(Forward forward) {
        for (ClientRequest r : forward.requests()) {
            accept(r, forward.replica());
        }
    }

    private void proposeDue() {
        if (!ctx.isPrimary() || ctx.changing()) {
            return;
        }
        PrePrepare pp;
        long high = Math.min(log.high(), ctx.voteLimit());
        while ((pp = proposer.cutIfDue(ctx.view(), ctx.self, ctx.now, high, ctx.lastExecuted, ctx.fillLimit())) != null) {
            normal.propose(pp);
        }
    }

    /**
     * A committed batch fetched from a peer because this replica is behind ({@link #catchUpTarget()}),
     * its commit signatures verified by the driver. Accepted only as the next sequence to deliver.
     */
    public void deliverCertified(CommittedBatch batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.sequence() != ctx.lastDelivered + 1) {
            ctx.drop(DropReason.CERTIFIED_OUT_OF_ORDER);
            return;
        }
        CommittedBatch checked = CertifiedBatchCheck.normalise(batch, ctx.epochs);
        if (checked == null) {
            ctx.drop(DropReason.INVALID_CERTIFICATE);
            return;
        }
        for (ClientRequest r : checked.requests()) {
            relay.ordered(r);
        }
        normal.delivered(checked);
        Slot slot = log.get(checked.sequence());
        if (slot != null) {
            slot.markDelivered();
        }
        normal.deliverInOrder();
        normal.retryEarly();
    }

    /**
     * State transfer stored, verified and executed everything up to {@code stable} (its blocks were
     * re-executed and its proof's 2f+1 signatures checked by the driver): delivery and execution jump
     * to it, the watermarks move, and agreement continues above it. {@code lastTimestamp} is the
     * timestamp of the last block at or below it, the lower bound for later pre-prepares.
     */
    public void installCheckpoint(StableCheckpoint stable, long lastTimestamp) {
        Objects.requireNonNull(stable, "stable");
        if (stable.sequence() <= ctx.lastExecuted) {
            return;
        }
        ReplicaSet signers = ctx.epochs.setOrdering(stable.sequence());
        Invariants.check(stable.proof().size() >= (signers != null ? signers : ctx.replicas()).quorums().quorum(),
                "an installed checkpoint needs a quorum of signatures of the set that ordered it");
        ctx.lastDelivered = Math.max(ctx.lastDelivered, stable.sequence());
        ctx.lastExecuted = stable.sequence();
        ctx.lastDeliveredTimestamp = Math.max(ctx.lastDeliveredTimestamp, lastTimestamp);
        inFlight.executedUpTo(stable.sequence());
        adoptStable(stable);
        normal.deliverInOrder();
        normal.retryEarly();
        proposeDue();
    }

    /**
     * The sequence this replica should fetch committed batches up to, when f+1 replicas report a
     * checkpoint above what it delivered (or a stable checkpoint lies above it), or when it has held
     * 2f+1 matching COMMITs for a sequence it could not deliver for two retransmit timeouts (it missed
     * the pre-prepare, and no peer's answer to its STATUS brought it); empty when not behind.
     * During a view change it is the high watermark: fetch what peers have, up to it.
     */
    public OptionalLong catchUpTarget() {
        OptionalLong proven = checkpoints.provenAbove(ctx.lastDelivered);
        long bodiesNeeded = normal.bodiesNeededUpTo();
        if (bodiesNeeded > 0) {
            // Committed here from a NEW-VIEW's references, transactions missing: peers that executed it have them.
            return OptionalLong.of(Math.max(bodiesNeeded, proven.orElse(0)));
        }
        // 2f+1 replicas committed a sequence this replica could not deliver for two retransmit timeouts
        // (its STATUS and the answers had their chance): fetch the certified batches, checkpoint or not.
        long stalled = log.stalledCommitQuorumAbove(ctx.lastDelivered, ctx.now,
                2 * ctx.retransmitTimeout.currentMs());
        if (stalled > 0) {
            return OptionalLong.of(Math.max(stalled, proven.orElse(0)));
        }
        if (proven.isPresent() || !ctx.changing() || log.high() <= ctx.lastDelivered) {
            return proven;
        }
        // Changing view, this replica takes part in no agreement, possibly alone (its timer fired while
        // the others progressed): certified batches need no vote of its own, so it fetches up to H,
        // as far as its peers have them.
        return OptionalLong.of(log.high());
    }

    public boolean hasReady() {
        return !ctx.out.isEmpty() || relay.hasOutgoing();
    }

    /** Everything produced since the last advance; call {@link #advance} before the next ready(). */
    public Ready ready() {
        Invariants.check(outstanding == null, "ready() called again before advance()");
        if (relay.hasOutgoing()) {
            List<ClientRequest> outgoing = relay.drainOutgoing();
            // While changing view, requests go to the primary of the last view this replica entered:
            // if the others still work in that view (this replica moved on alone), it orders them; if
            // it failed, nothing is lost, since entering the new view forwards every relayed request
            // to the new primary again (or drains them into this replica's queue when it leads).
            // Nobody sends a FORWARD to itself.
            int to = relayTarget();
            if (to != ctx.self) {
                for (Signed<Forward> forward : ctx.forwards(outgoing)) {
                    ctx.out.send(to, forward);
                }
            }
        }
        outstanding = ctx.out.drain();
        return outstanding;
    }

    /**
     * Where relayed requests go: the primary, or while changing view the primary of the last view this
     * replica entered (if the others still work in that view it orders them; if it failed, entering the
     * new view forwards every relayed request to the new primary again).
     */
    private int relayTarget() {
        return ctx.changing() ? ctx.primaryOf(ctx.enteredView()) : ctx.primary();
    }

    public void advance(Ready ready) {
        Invariants.check(ready != null && ready == outstanding, "advance() must get the last Ready");
        outstanding = null;
    }

    public ReplicaStatus status() {
        ReplicaStatus.Status status = removed() ? ReplicaStatus.Status.NOT_A_MEMBER
                : ctx.changing() ? ReplicaStatus.Status.VIEW_CHANGE
                : log.low() > ctx.lastDelivered || normal.bodiesNeededUpTo() > 0 ? ReplicaStatus.Status.STATE_TRANSFER
                : ReplicaStatus.Status.NORMAL;
        int pending = ctx.isPrimary() ? proposer.queued() : relay.size();
        long view = ctx.changing() ? ctx.enteredView() : ctx.view();
        return new ReplicaStatus(ctx.self, ctx.replicas().n(), ctx.quorums().f(), view, ctx.primaryOf(view), status, ctx.lastExecuted,
                log.low(), log.high(), pending, checkpoints.stableSequence(), ctx.view(),
                QuorumWait.missing(ctx, log, viewChanger), ctx.retransmitTimeout.currentMs());
    }

    /**
     * True while this replica is alone in a view change: it left its view a view-change timeout ago and
     * fewer than f+1 replicas (itself included) asked for its target view or a higher one. It does not
     * vote in the view the others still work in; it follows their committed batches and counts for
     * their next view change. The driver reports it (WARN and a metric): one more faulty replica then
     * stops progress until the others' request timers expire.
     */
    public boolean aloneInViewChange() {
        return viewChanger.alone();
    }

    /** Why this replica started its latest view change, or null if it started none. */
    public ViewChangeCause lastViewChangeCause() {
        return viewChanger.lastCause();
    }

    /**
     * View changes this replica started to bring back a replica alone in one (see docs/design.md, "A
     * replica alone in a view change"): at most one per rejoin period. The driver counts and logs them.
     */
    public long assistedViewChanges() {
        return viewChanger.assistedViewChanges();
    }

    /** Test hook: the current view-change timeout (T times 2 to the consecutive failed views). */
    public long viewChangeTimeoutMs() {
        return timer.timeoutMs();
    }

    public Map<DropReason, Long> dropCounts() {
        return ctx.dropCounts();
    }

    /** Signed messages retained in the log and checkpoint tracker; bounded by the window. */
    public int retainedLogSize() {
        return log.retainedMessages() + checkpoints.retainedMessages() + certificates.retainedMessages()
                + normal.earlyCount();
    }

    /** Sequences the checkpoint tracker holds votes for; bounded by n times the per-replica quota. */
    public int retainedCheckpointSequences() {
        return checkpoints.retainedSequences();
    }

    /** Number of sequence slots held between the watermarks. */
    public int retainedSlots() {
        return log.size();
    }

    /** Highest sequence handed out in {@link Ready#committed()}. */
    public long lastDeliveredSequence() {
        return ctx.lastDelivered;
    }

    /** A one-line summary of the unstable log for logs and debugging: per slot, phase and votes. */
    public String diagnostics() {
        StringBuilder sb = new StringBuilder("delivered=").append(ctx.lastDelivered)
                .append(" nextProposal=").append(proposer.nextSequence()).append(" slots=[");
        for (Slot slot : log.slots()) {
            sb.append(slot.sequence()).append(slot.prePrepare() == null ? ":-" : ":pp")
                    .append(slot.prePrepare() == null ? "" : "/p" + slot.prepares().count(slot.digest())
                            + "/c" + slot.commits().count(slot.digest()))
                    .append(slot.committed() ? "C" : "").append(slot.delivered() ? "D" : "").append(' ');
        }
        return sb.append(']').toString();
    }
}
