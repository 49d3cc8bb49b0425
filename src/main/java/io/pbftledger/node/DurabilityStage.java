package io.pbftledger.node;

import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal stage (thread {@code pbft-journal}): makes what the core promises durable, then lets it
 * leave. It takes every {@link Ready} queued behind the first, appends all their journal records with
 * one write and one fdatasync (group commit), and only then, Ready by Ready in the core's order, hands
 * their messages to the peer senders and their committed batches to the {@link ExecutionStage}. So no
 * message leaves before the record that promises it is on disk, and a crash between the stages loses
 * only what nobody else saw. It is the journal's only writer: compaction below a stored checkpoint
 * ({@link JournalCompaction}) runs here too, between appends. State-transfer deliveries pass through in
 * order, so the execution stage sees them after every batch the core delivered before them.
 */
public final class DurabilityStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurabilityStage.class);
    private static final long IDLE_POLL_MS = 50;
    /** Readies grouped under one fdatasync at most (each holds what the core produced in one step). */
    static final int GROUP_MAX_READIES = 1_024;

    private final ConsensusJournal journal;
    private final PeerOutbox outbox;
    private final JournalCompaction compaction;
    private final ExecutionStage execution;
    private final int selfId;
    private final PipelineFailure failure;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean running;
    private volatile long groupCommits;
    private volatile long readiesJournaled;

    /**
     * @param queueMaxItems most Readies (and state-transfer deliveries) waiting for the journal; the
     *                      consensus thread waits while it is full. They hold references to what the
     *                      core's log holds anyway, so the count bounds the copies' overhead, not the
     *                      messages' bytes (the watermark window bounds those)
     */
    public DurabilityStage(ConsensusJournal journal, PeerOutbox outbox, JournalCompaction compaction,
                           ExecutionStage execution, int selfId, PipelineFailure failure, int queueMaxItems) {
        this.journal = journal;
        this.outbox = outbox;
        this.compaction = compaction;
        this.execution = execution;
        this.selfId = selfId;
        this.failure = failure;
        this.queue = new ArrayBlockingQueue<>(queueMaxItems);
        this.thread = new Thread(this::run, "pbft-journal");
        this.thread.setDaemon(true);
    }

    public void start() {
        running = true;
        thread.start();
    }

    /**
     * Hands a Ready (or a state-transfer delivery) over in order, waiting while the queue is full:
     * backpressure reaches the consensus thread, and from its event queue the admission of new
     * requests. False if the pipeline stopped meanwhile.
     */
    boolean put(Object work) throws InterruptedException {
        while (!failure.failed() && running) {
            if (queue.offer(work, IDLE_POLL_MS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** Work waiting for the journal (a metric, and for tests that wait until it is idle). */
    public int queued() {
        return queue.size();
    }

    /** fdatasyncs of grouped appends since start, for metrics. */
    public long groupCommits() {
        return groupCommits;
    }

    /** Readies made durable since start; divided by {@link #groupCommits()}, the mean group size. */
    public long readiesJournaled() {
        return readiesJournaled;
    }

    private void run() {
        List<Object> group = new ArrayList<>();
        List<Signed<? extends PbftMessage>> records = new ArrayList<>();
        try {
            while (running && !failure.failed()) {
                Object first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    group.add(first);
                    queue.drainTo(group, GROUP_MAX_READIES - 1);
                    journalAndRelease(group, records);
                    group.clear();
                    records.clear();
                }
                compaction.runIfRequested(journal);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.record(ThreadFailures.Kind.JOURNAL, e);
            try {
                LOG.error("journal stage stopped: {}", e.toString(), e);
            } catch (Throwable logging) {
                // Out of memory even for the log line: the driver's failure() and the metric still tell.
            }
        }
    }

    private void journalAndRelease(List<Object> group, List<Signed<? extends PbftMessage>> records)
            throws InterruptedException {
        int readies = 0;
        for (Object item : group) {
            if (item instanceof Ready ready) {
                records.addAll(ready.persist());
                readies++;
            }
        }
        if (!records.isEmpty()) {
            // What the group is about to promise is durable before any of it leaves.
            journal.append(records);
            groupCommits++;
        }
        readiesJournaled += readies;
        for (Object item : group) {
            if (item instanceof Ready ready) {
                send(ready);
                if ((!ready.committed().isEmpty() || !ready.stableCheckpoints().isEmpty())
                        && !execution.put(new ExecutionStage.Committed(ready.committed(), ready.stableCheckpoints()))) {
                    return;
                }
            } else if (item instanceof StateTransfer.Fetched fetched) {
                if (!execution.put(fetched)) {
                    return;
                }
            } else {
                throw new IllegalStateException("unknown work " + item);
            }
        }
    }

    private void send(Ready ready) {
        for (Outbound out : ready.messages()) {
            ViewChangeLog.message("sent", out.message());
            if (out.to() == selfId) {
                throw new IllegalStateException("the core addressed a message to its own replica: " + out);
            } else if (out.to() == Outbound.BROADCAST) {
                outbox.broadcast(out.message());
            } else {
                outbox.send(out.to(), out.message());
            }
        }
    }

    /** Stops the thread; Readies still queued are dropped unsent, as in a crash before their fdatasync. */
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
