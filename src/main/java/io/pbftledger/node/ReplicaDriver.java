package io.pbftledger.node;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.OrderedRequests;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.pbft.core.RecoveredState;
import io.pbftledger.pbft.core.ReplicaSet;
import io.pbftledger.pbft.core.Invariants;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaStatus;
import io.pbftledger.pbft.core.ViewChangeCause;
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
 * The consensus thread and the pipeline behind it. The thread owns the pure {@link Replica}:
 * authenticated peer messages, client requests and clock ticks go in through a bounded queue; each
 * {@link Ready} goes to the {@link DurabilityStage} (journal appends grouped under one fdatasync, then
 * the messages leave) and from there to the {@link ExecutionStage} (committed batches executed and
 * stored in sequence order), and the core advances at once: it orders the next sequences inside its
 * watermark window while earlier ones are being written. What the execution stage finished comes back
 * as events ({@link Replica#executed}, stored state transfers). The consensus thread never waits for a
 * disk or a database, only, when the journal stage's queue is full, for room in it. Nothing else
 * touches the core, so the core needs no locks; other threads read the published {@link #status()}.
 */
public final class ReplicaDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaDriver.class);
    private static final int DRAIN_MAX_EVENTS = 1024;
    private static final long TRANSFER_RETRY_MS = 1_000;
    /** A client request's id, client id, nonce and framing, beside its transaction bytes. */
    private static final long REQUEST_OVERHEAD_BYTES = 96;
    /** Wakes the consensus thread when the execution stage finished something. */
    private static final Object WAKE = new Object();
    /** Readies waiting for the journal at most; see {@link DurabilityStage}. */
    static final int JOURNAL_QUEUE_MAX_READIES = 4_096;
    /** Readies' committed batches waiting for execution at most; see {@link ExecutionStage}. */
    static final int EXECUTION_QUEUE_MAX_ITEMS = 1_024;

    private final Replica replica;
    private final PeerOutbox outbox;
    private final BatchApplier applier;
    private final PipelineFailure pipelineFailure = new PipelineFailure();
    private final ExecutionStage execution;
    private final DurabilityStage durability;
    /** What the execution stage finished, for the consensus thread; bounded by the watermark window. */
    private final java.util.Queue<Object> results = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The core's last executed sequence as this thread reported it (consensus thread only). */
    private long lastExecuted;
    /**
     * The sequence of the newest replica-set change the core was told of (consensus thread only); the
     * changes of the stored chain at start are in its recovered state.
     */
    private long lastToldChange;
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
    private volatile int checkpointSequencesRetained;
    /** View changes entered since start by cause (written by the consensus thread only). */
    private final Map<ViewChangeCause, Long> viewChangesByCause = new java.util.concurrent.ConcurrentHashMap<>();
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
        this.applier = applier;
        this.execution = new ExecutionStage(applier, checkpoints, this::completed, pipelineFailure,
                EXECUTION_QUEUE_MAX_ITEMS);
        this.durability = new DurabilityStage(journal, outbox, checkpoints.compaction(), execution,
                replica.status().replicaId(), pipelineFailure, JOURNAL_QUEUE_MAX_READIES);
        this.clockMillis = clockMillis;
        this.tickIntervalMs = tickIntervalMs;
        this.events = new ArrayBlockingQueue<>(queueMaxEvents);
        this.status = replica.status();
        this.selfId = status.replicaId();
        this.lastExecuted = status.lastExecutedSequence();
        this.lastToldChange = applier.replicaChanges().stream().mapToLong(RecoveredState.ReplicaSetChange::sequence)
                .max().orElse(0);
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
        execution.start();
        durability.start();
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

    /** View changes entered since start with {@code cause}, for metrics. */
    public long viewChanges(ViewChangeCause cause) {
        return viewChangesByCause.getOrDefault(cause, 0L);
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

    /** The error that stopped the pipeline (the consensus thread or a stage behind it), or null while it runs. */
    public Throwable failure() {
        PipelineFailure.Failure f = pipelineFailure.get();
        return f == null ? null : f.error();
    }

    /** Which pipeline thread failed first, or null while they all run. */
    public ThreadFailures.Kind failedStage() {
        PipelineFailure.Failure f = pipelineFailure.get();
        return f == null ? null : f.stage();
    }

    public int queuedEvents() {
        return events.size();
    }

    /** Readies waiting for the journal stage. */
    public int journalQueued() {
        return durability.queued();
    }

    /** Committed batches (per Ready) waiting for the execution stage. */
    public int executionQueued() {
        return execution.queued();
    }

    /** Grouped journal fdatasyncs since start. */
    public long journalGroupCommits() {
        return durability.groupCommits();
    }

    /** Readies made durable since start. */
    public long readiesJournaled() {
        return durability.readiesJournaled();
    }

    /** True when no event, Ready or committed batch waits in any stage (a snapshot; for tests and drains). */
    public boolean idle() {
        return events.isEmpty() && durability.queued() == 0 && execution.queued() == 0 && results.isEmpty();
    }

    private void run() {
        long lastTick = 0;
        List<Object> batch = new ArrayList<>(DRAIN_MAX_EVENTS);
        try {
            while (running) {
                if (pipelineFailure.failed()) {
                    return; // a stage behind this thread stopped; the order of the rest is lost
                }
                Object first = events.poll(tickIntervalMs, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    events.drainTo(batch, DRAIN_MAX_EVENTS - 1);
                    for (Object event : batch) {
                        handle(event);
                    }
                    batch.clear();
                }
                drainResults();
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
                    ViewChangeCause cause = replica.lastViewChangeCause();
                    if (cause != null) {
                        viewChangesByCause.merge(cause, 1L, Long::sum);
                    }
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
            pipelineFailure.record(ThreadFailures.Kind.CONSENSUS, e);
            try {
                LOG.error("consensus thread stopped: {}", e.toString(), e);
            } catch (Throwable logging) {
                // Out of memory even for the log line: failure() and the metric still tell.
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(Object event) throws InterruptedException {
        if (event == WAKE) {
            return; // the loop drains the execution stage's results after the events
        }
        if (event instanceof Sized sized) {
            queuedBytes.addAndGet(-sized.bytes());
            handle(sized.event());
        } else if (event instanceof Signed<?> signed) {
            if (signed.message() instanceof NewView) {
                ViewChangeLog.message("received", signed);
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
            // Stored by the execution stage after every batch delivered before it; see onFetchedStored.
            if (!durability.put(fetched)) {
                throw new IllegalStateException("the pipeline stopped", failure());
            }
        } else {
            throw new IllegalStateException("unknown event " + event);
        }
    }

    /** View changes are what an operator must notice: one WARN line each, with its cause and what the quorum lacks. */
    private void logTransition(ReplicaStatus before, ReplicaStatus after) {
        if (after.status() == before.status() && after.view() == before.view()
                && after.viewChangeTarget() == before.viewChangeTarget()) {
            return;
        }
        if (after.status() == ReplicaStatus.Status.VIEW_CHANGE) {
            ViewChangeCause cause = replica.lastViewChangeCause();
            LOG.warn("view change: leaving view {} for view {} ({}); waiting for VIEW-CHANGEs of replicas {}",
                    after.view(), after.viewChangeTarget(), describe(cause), after.missingForQuorum());
        } else if (after.view() != before.view() || before.status() == ReplicaStatus.Status.VIEW_CHANGE) {
            LOG.warn("view change complete: now in view {} with primary {}, status {}", after.view(), after.primary(),
                    after.status());
        } else {
            LOG.info("consensus status {} -> {}", before.status(), after.status());
        }
    }

    private static String describe(ViewChangeCause cause) {
        if (cause == null) {
            return "cause unknown";
        }
        return cause.label() + ": " + switch (cause) {
            case REQUEST_WAITED -> "a request this replica relayed waited the view-change timeout without being ordered";
            case BATCH_NOT_COMMITTED -> "a pre-prepare it accepted waited the view-change timeout without a delivery";
            case NEW_VIEW_TIMEOUT -> "the view change did not complete within the timeout";
            case JOINED -> "f+1 replicas asked for a higher view";
            case ASSISTED -> "joined a lone VIEW-CHANGE for the next view";
        };
    }

    /**
     * The execution stage stored what state transfer proved: the certified batches above it go to the
     * core (which takes each only as the next sequence it delivers, else drops and counts it), then the
     * checkpoint the stored chain reaches, if the core has not delivered past it meanwhile.
     */
    private void onFetchedStored(ExecutionStage.FetchedStored stored) {
        StateTransfer.Fetched fetched = stored.fetched();
        // The core judges the proofs below by the sets these blocks made: it hears of their changes first.
        for (List<ExecutedBlock> blocks : List.of(fetched.blocks(), fetched.certified())) {
            for (ExecutedBlock block : blocks) {
                for (ReplicaRoster.Change change : block.replicaChanges()) {
                    if (change.sequence() > lastToldChange) {
                        replica.replicaSetChanged(change.sequence(), new ReplicaSet(
                                block.clientsAfter().replicas().epochs().get((int) change.epoch()).ids()));
                        lastToldChange = change.sequence();
                    }
                }
            }
        }
        for (ExecutedBlock certified : fetched.certified()) {
            BlockHeader h = certified.block().header();
            List<ClientRequest> requests = OrderedRequests.of(h, certified.block().transactions());
            replica.deliverCertified(new CommittedBatch(h.view(), h.sequence(), h.timestamp(), h.primary(),
                    h.batchDigest(), requests, certified.block().certificate()));
        }
        StoredCheckpoint cp = fetched.checkpoint();
        if (cp != null && cp.sequence() > replica.lastDeliveredSequence() && stored.tip().height() >= cp.blockHeight()) {
            replica.installCheckpoint(new StableCheckpoint(cp.sequence(), cp.stateDigest(), cp.proof()),
                    stored.tip().timestamp());
        }
    }

    /** What the execution stage finished, in its order: executed sequences and stored transfers. */
    private void drainResults() {
        Object result;
        while ((result = results.poll()) != null) {
            if (result instanceof ExecutionStage.Executed executed) {
                // A sequence a checkpoint from state transfer covered meanwhile is executed already.
                if (executed.sequence() > lastExecuted) {
                    if (executed.replicaSetChange() != null && executed.sequence() > lastToldChange) {
                        replica.replicaSetChanged(executed.sequence(), executed.replicaSetChange());
                        lastToldChange = executed.sequence();
                    }
                    replica.executed(executed.sequence(), executed.stateDigest());
                    lastExecuted = executed.sequence();
                }
            } else if (result instanceof ExecutionStage.FetchedStored stored) {
                onFetchedStored(stored);
                lastExecuted = Math.max(lastExecuted, replica.status().lastExecutedSequence());
            } else {
                throw new IllegalStateException("unknown result " + result);
            }
        }
    }

    /** From the execution stage's thread: queued for the consensus thread, which is woken. */
    private void completed(Object result) {
        results.add(result);
        events.offer(WAKE);
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

    /** Hands each Ready to the journal stage (waiting only for room in its queue) and advances the core. */
    private void processReady() throws InterruptedException {
        while (replica.hasReady()) {
            Ready ready = replica.ready();
            if (!durability.put(ready)) {
                throw new IllegalStateException("the pipeline stopped", failure());
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
        // Upstream first: nothing is handed to a stage that already stopped.
        durability.close();
        execution.close();
    }
}
