package io.pbftledger.node;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.OrderedRequests;
import io.pbftledger.pbft.core.Invariants;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaStatus;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.ViewChange;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import io.pbftledger.pbft.core.DropReason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single consensus thread. It owns the pure {@link Replica}: authenticated peer messages,
 * client requests and clock ticks go in through a bounded queue; each {@link Ready} is handled in
 * etcd-raft order (persist, send, execute, advance). Nothing else touches the core, so the core
 * needs no locks; other threads read the published {@link #status()} snapshot.
 */
public final class ReplicaDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaDriver.class);
    private static final int DRAIN_MAX_EVENTS = 1024;
    private static final long TRANSFER_RETRY_MS = 1_000;
    /** A client request's id, client id, nonce and framing, beside its transaction bytes. */
    private static final long REQUEST_OVERHEAD_BYTES = 96;

    private final Replica replica;
    private final PeerOutbox outbox;
    private final ConsensusJournal journal;
    private final BatchApplier applier;
    private final CheckpointKeeper checkpoints;
    private final int selfId;
    private StateTransfer transfer;
    private long lastTransferStart;
    private final LongSupplier clockMillis;
    private final long tickIntervalMs;
    private final BlockingQueue<Object> events;
    /** Bound of the estimated wire bytes of the peer messages and client requests queued. */
    private final long queueMaxBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Thread thread;
    private volatile boolean running;
    private volatile ReplicaStatus status;
    private volatile Map<DropReason, Long> coreDrops = Map.of();
    private volatile Throwable failure;
    private volatile int checkpointSequencesRetained;
    /** View changes this replica started since it booted (written by the consensus thread only). */
    private volatile long viewChanges;
    private volatile boolean aloneInViewChange;
    /** Client ids whose requests never reach the core while this replica is primary (fault injection). */
    private Predicate<String> withheldWhilePrimary = clientId -> false;
    private volatile long aloneViewChanges;
    /** View changes this replica started to bring back a replica alone in one (core counter, last seen). */
    private volatile long assistedViewChanges;

    public ReplicaDriver(Replica replica, PeerOutbox outbox, ConsensusJournal journal, BatchApplier applier,
                         CheckpointKeeper checkpoints, LongSupplier clockMillis, int queueMaxEvents,
                         long tickIntervalMs) {
        this(replica, outbox, journal, applier, checkpoints, clockMillis, queueMaxEvents, Long.MAX_VALUE,
                tickIntervalMs);
    }

    /**
     * @param queueMaxEvents most events queued for the consensus thread
     * @param queueMaxBytes  most estimated wire bytes of queued peer messages and client requests; a
     *                       single message larger than it is still taken when the queue holds none
     */
    public ReplicaDriver(Replica replica, PeerOutbox outbox, ConsensusJournal journal, BatchApplier applier,
                         CheckpointKeeper checkpoints, LongSupplier clockMillis, int queueMaxEvents,
                         long queueMaxBytes, long tickIntervalMs) {
        this.queueMaxBytes = queueMaxBytes;
        this.replica = replica;
        this.outbox = outbox;
        this.journal = journal;
        this.applier = applier;
        this.checkpoints = checkpoints;
        this.clockMillis = clockMillis;
        this.tickIntervalMs = tickIntervalMs;
        this.events = new ArrayBlockingQueue<>(queueMaxEvents);
        this.status = replica.status();
        this.selfId = status.replicaId();
        this.thread = new Thread(this::run, "pbft-consensus");
        this.thread.setDaemon(true);
    }

    /** Connects state transfer; call before {@link #start()}. */
    public void attach(StateTransfer stateTransfer) {
        Invariants.check(!running, "attach state transfer before starting the driver");
        this.transfer = stateTransfer;
    }

    /**
     * Fault injection (mode censoring-primary): while this replica is primary, requests of clients the
     * predicate names never reach its core, from its own clients or in FORWARDs; so it never proposes
     * them and proposes everyone else's. Call before {@link #start()}.
     */
    public void withholdWhilePrimary(Predicate<String> clientIds) {
        Invariants.check(!running, "set the fault before starting the driver");
        this.withheldWhilePrimary = clientIds;
    }

    private boolean withheld(ClientRequest request) {
        return status.primary() == selfId && status.status() != ReplicaStatus.Status.VIEW_CHANGE
                && withheldWhilePrimary.test(request.clientId());
    }

    public void start() {
        running = true;
        thread.start();
    }

    /** An event with the bytes it holds in the queue's byte bound. */
    private record Sized(Object event, long bytes) {
    }

    /** Hands an authenticated peer message to the core; false when the queue is full (the message is dropped). */
    public boolean offer(Signed<? extends PbftMessage> message) {
        return offerSized(message, MessageCodec.encodedSizeEstimate(message));
    }

    /** Hands a validated client request to the core; false when the queue is full. */
    public boolean submit(ClientRequest request) {
        return offerSized(request, request.size() + REQUEST_OVERHEAD_BYTES);
    }

    private boolean offerSized(Object event, long bytes) {
        long after = queuedBytes.addAndGet(bytes);
        if ((after > queueMaxBytes && after != bytes) || !events.offer(new Sized(event, bytes))) {
            queuedBytes.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Estimated wire bytes of the peer messages and client requests waiting for the consensus thread. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    public ReplicaStatus status() {
        return status;
    }

    /** Messages the core dropped, by the protocol rule that refused them (a snapshot). */
    public Map<DropReason, Long> coreDrops() {
        return coreDrops;
    }

    /** Sequences the core's checkpoint tracker holds votes for, as of the last loop (a metric). */
    public int checkpointSequencesRetained() {
        return checkpointSequencesRetained;
    }

    /** View changes this replica entered since start (each new target view counts once), for metrics. */
    public long viewChanges() {
        return viewChanges;
    }

    /** True while this replica changes view and nobody follows it (see {@link Replica#aloneInViewChange()}). */
    public boolean aloneInViewChange() {
        return aloneInViewChange;
    }

    /** How many times this replica found itself alone in a view change since start, for metrics. */
    public long aloneViewChanges() {
        return aloneViewChanges;
    }

    /** View changes this replica started to bring back a replica alone in one, since start, for metrics. */
    public long assistedViewChanges() {
        return assistedViewChanges;
    }

    private void noteAlone(ReplicaStatus now) {
        boolean alone = replica.aloneInViewChange();
        if (alone && !aloneInViewChange) {
            aloneViewChanges++;
            LOG.warn("alone in the view change to view {}: fewer than f+1 replicas asked for it, the others go on in "
                    + "view {}. This replica follows their committed batches but cannot vote there, so one more "
                    + "faulty replica stalls the cluster until the others' request timers expire; it re-sends its "
                    + "VIEW-CHANGE, and the others join it a view-change timeout after they get it (within the "
                    + "rejoin period), then it votes again", now.viewChangeTarget(), now.view());
        } else if (!alone && aloneInViewChange) {
            LOG.warn("no longer alone in a view change: now in view {} (status {})", now.view(), now.status());
        }
        aloneInViewChange = alone;
        long assisted = replica.assistedViewChanges();
        if (assisted > assistedViewChanges) {
            LOG.warn("joined a VIEW-CHANGE for view {} that nobody followed for a view-change timeout, to bring a "
                    + "replica alone in it back to the quorum (at most once per rejoin period; often means a peer "
                    + "was partitioned or paused, repeatedly a faulty peer)", now.viewChangeTarget());
            assistedViewChanges = assisted;
        }
    }

    private static boolean startsViewChange(ReplicaStatus before, ReplicaStatus after) {
        return after.status() == ReplicaStatus.Status.VIEW_CHANGE
                && (before.status() != ReplicaStatus.Status.VIEW_CHANGE
                        || after.viewChangeTarget() != before.viewChangeTarget());
    }

    /** The error that stopped the consensus thread, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    public int queuedEvents() {
        return events.size();
    }

    private void run() {
        long lastTick = 0;
        List<Object> batch = new ArrayList<>(DRAIN_MAX_EVENTS);
        try {
            while (running) {
                Object first = events.poll(tickIntervalMs, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    events.drainTo(batch, DRAIN_MAX_EVENTS - 1);
                    for (Object event : batch) {
                        handle(event);
                    }
                    batch.clear();
                }
                long now = clockMillis.getAsLong();
                if (now - lastTick >= tickIntervalMs) {
                    replica.tick(now);
                    lastTick = now;
                }
                processReady();
                maybeStartTransfer(now);
                ReplicaStatus next = replica.status();
                logTransition(status, next);
                if (startsViewChange(status, next)) {
                    viewChanges++;
                }
                noteAlone(next);
                status = next;
                checkpointSequencesRetained = replica.retainedCheckpointSequences();
                Map<DropReason, Long> drops = replica.dropCounts();
                long conflicts = drops.getOrDefault(DropReason.CONFLICTS_WITH_DELIVERED, 0L);
                if (conflicts > coreDrops.getOrDefault(DropReason.CONFLICTS_WITH_DELIVERED, 0L)) {
                    LOG.error("a NEW-VIEW re-ordered a different batch at a sequence this replica already executed; "
                            + "it refused to vote for it. More than f replicas are faulty, or there is a bug: "
                            + "keep this replica's logs and data directory");
                }
                coreDrops = drops;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // Not restarted: the core may have stopped between two steps of one Ready. Readiness is
            // DOWN from here on (ConsensusHealth), pbft_consensus_failed is 1; a restart of the
            // replica recovers from the journal.
            failure = e;
            try {
                LOG.error("consensus thread stopped: {}", e.toString(), e);
            } catch (Throwable logging) {
                // Out of memory even for the log line: failure() and the metric still tell.
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(Object event) {
        if (event instanceof Sized sized) {
            queuedBytes.addAndGet(-sized.bytes());
            handle(sized.event());
        } else if (event instanceof Signed<?> signed) {
            if (signed.message() instanceof NewView) {
                logViewChangeMessage("received", signed);
            }
            if (signed.message() instanceof Forward forward && forward.requests().stream().anyMatch(this::withheld)) {
                // What the core reads of a FORWARD is its requests; the signature was checked on arrival.
                List<ClientRequest> kept = forward.requests().stream().filter(r -> !withheld(r)).toList();
                replica.step(new Signed<>(new Forward(forward.replica(), kept), signed.signature()));
                return;
            }
            replica.step((Signed<? extends PbftMessage>) signed);
        } else if (event instanceof ClientRequest request) {
            if (!withheld(request)) {
                replica.submit(request);
            }
        } else if (event instanceof StateTransfer.Fetched fetched) {
            applyFetched(fetched);
        } else {
            throw new IllegalStateException("unknown event " + event);
        }
    }

    /**
     * The content of view-change messages at INFO: what each replica claimed prepared (P) and what a
     * new view re-orders (O), so a disagreement after a view change can be traced from the logs.
     */
    private static void logViewChangeMessage(String direction, Signed<? extends PbftMessage> signed) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        if (signed.message() instanceof ViewChange vc) {
            StringBuilder p = new StringBuilder();
            for (PreparedProof proof : vc.prepared()) {
                p.append(' ').append(proof.sequence()).append('@').append(proof.view()).append(':')
                        .append(proof.prePrepare().message().batchDigest().hex(), 0, 8);
            }
            LOG.info("{} VIEW-CHANGE of replica {} for view {}: stable {}, P [{} ]", direction, vc.replica(),
                    vc.newView(), vc.stableSequence(), p);
        } else if (signed.message() instanceof NewView nv) {
            StringBuilder o = new StringBuilder();
            for (Signed<PrePrepare> pp : nv.prePrepares()) {
                o.append(' ').append(pp.message().sequence()).append(':').append(pp.message().batch().isEmpty()
                        ? "null" : pp.message().batchDigest().hex().substring(0, 8));
            }
            StringBuilder v = new StringBuilder();
            for (Signed<ViewChange> vc : nv.viewChanges()) {
                v.append(' ').append(vc.message().replica()).append("(s=").append(vc.message().stableSequence())
                        .append(",|P|=").append(vc.message().prepared().size()).append(')');
            }
            LOG.info("{} NEW-VIEW for view {}: V [{} ], O [{} ]", direction, nv.view(), v, o);
        }
    }

    /** View changes are what an operator must notice: one WARN line each, with what the quorum lacks. */
    private static void logTransition(ReplicaStatus before, ReplicaStatus after) {
        if (after.status() == before.status() && after.view() == before.view()
                && after.viewChangeTarget() == before.viewChangeTarget()) {
            return;
        }
        if (after.status() == ReplicaStatus.Status.VIEW_CHANGE) {
            LOG.warn("view change: leaving view {} for view {} (request timer expired or f+1 replicas moved on); "
                    + "waiting for VIEW-CHANGEs of replicas {}", after.view(), after.viewChangeTarget(),
                    after.missingForQuorum());
        } else if (after.view() != before.view() || before.status() == ReplicaStatus.Status.VIEW_CHANGE) {
            LOG.warn("view change complete: now in view {} with primary {}, status {}", after.view(), after.primary(),
                    after.status());
        } else {
            LOG.info("consensus status {} -> {}", before.status(), after.status());
        }
    }

    /** Hands proven blocks from state transfer to the store, then the checkpoint they reach to the core. */
    private void applyFetched(StateTransfer.Fetched fetched) {
        for (ExecutedBlock block : fetched.blocks()) {
            if (block.block().height() == applier.latestHeader().height() + 1) {
                applier.applyFetched(block);
            }
        }
        for (ExecutedBlock certified : fetched.certified()) {
            BlockHeader h = certified.block().header();
            List<ClientRequest> requests = OrderedRequests.of(h, certified.block().transactions());
            // The core takes it only as the next sequence it delivers; otherwise it drops and counts it.
            replica.deliverCertified(new CommittedBatch(h.view(), h.sequence(), h.timestamp(), h.primary(),
                    h.batchDigest(), requests, certified.block().certificate()));
        }
        StoredCheckpoint cp = fetched.checkpoint();
        if (cp != null && cp.sequence() > replica.lastDeliveredSequence()
                && applier.latestHeader().height() >= cp.blockHeight()) {
            checkpoints.installed(cp, applier.latestHeader().height());
            replica.installCheckpoint(new StableCheckpoint(cp.sequence(), cp.stateDigest(), cp.proof()),
                    applier.latestHeader().timestamp());
        }
    }

    /** Starts state transfer when the core says it is behind what its peers proved; at most once a second. */
    private void maybeStartTransfer(long now) {
        if (transfer == null || now - lastTransferStart < TRANSFER_RETRY_MS || transfer.running()
                || replica.catchUpTarget().isEmpty()) {
            return;
        }
        lastTransferStart = now;
        transfer.start(applier.latestHeader(), replica.lastDeliveredSequence());
    }

    /** Where state transfer delivers (from its own thread): into the event queue, waiting if it is full. */
    public void deliverFetched(StateTransfer.Fetched fetched) {
        try {
            events.put(fetched);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void processReady() {
        while (replica.hasReady()) {
            Ready ready = replica.ready();
            // What the replica is about to promise is durable before any of it leaves.
            journal.append(ready.persist());
            for (Outbound out : ready.messages()) {
                logViewChangeMessage("sent", out.message());
                if (out.to() == selfId) {
                    throw new IllegalStateException("the core addressed a message to its own replica: " + out);
                } else if (out.to() == Outbound.BROADCAST) {
                    outbox.broadcast(out.message());
                } else {
                    outbox.send(out.to(), out.message());
                }
            }
            for (CommittedBatch committed : ready.committed()) {
                // A null request (empty batch, from a view change) produces no block, and a batch that
                // state transfer already stored is not applied twice.
                BlockHeader latest = applier.latestHeader();
                BlockHeader last = committed.sequence() <= latest.sequence() ? applier.alreadyStored(committed)
                        : committed.requests().isEmpty() ? latest : applier.apply(committed).header();
                replica.executed(committed.sequence(),
                        checkpoints.executed(committed.sequence(), last.hash(), last.height()));
            }
            for (StableCheckpoint stable : ready.stableCheckpoints()) {
                checkpoints.stable(stable);
            }
            replica.advance(ready);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
