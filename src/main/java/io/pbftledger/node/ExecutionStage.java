package io.pbftledger.node;

import io.pbftledger.pbft.core.ReplicaSet;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution stage (thread {@code pbft-execute}): executes committed batches strictly in the order
 * the journal stage hands them over (sequence order), stores each block with its certificate, stores
 * stable checkpoints once executed here, and stores the blocks state transfer proved. It owns the
 * {@link BatchApplier} and the {@link CheckpointKeeper}; nothing else writes the chain. Each result
 * (the state digest of an executed sequence, the height state transfer reached) goes back to the
 * consensus thread through {@code results}, which never blocks: the core delivers at most one
 * watermark window beyond what was executed, so what waits there is bounded by it.
 */
public final class ExecutionStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionStage.class);
    private static final long IDLE_POLL_MS = 100;

    /** Committed batches of one Ready, in sequence order, and the checkpoints it found stable. */
    record Committed(List<CommittedBatch> batches, List<StableCheckpoint> stable) {
        Committed {
            batches = List.copyOf(batches);
            stable = List.copyOf(stable);
        }
    }

    /**
     * Sequence {@code sequence} is executed here; its checkpoint state digest is {@code stateDigest};
     * {@code replicaSetChange} is the replica set a change executed at it made (the core is told
     * before the sequence counts as executed), or null.
     */
    public record Executed(long sequence, Digest stateDigest, ReplicaSet replicaSetChange) {
        public Executed(long sequence, Digest stateDigest) {
            this(sequence, stateDigest, null);
        }
    }

    /** The blocks of {@code fetched} that followed the chain are stored; the chain's tip is now {@code tip}. */
    public record FetchedStored(StateTransfer.Fetched fetched, BlockHeader tip) {
    }

    /** Most blocks stored in one database transaction (the store's own limit is higher). */
    static final int GROUP_MAX_BLOCKS = 64;
    /** Most requests stored in one database transaction, so that one commit stays a bounded write. */
    static final int GROUP_MAX_REQUESTS = 8_192;

    private final BatchApplier applier;
    private final CheckpointKeeper checkpoints;
    private final Consumer<Object> results;
    private final PipelineFailure failure;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean running;
    /** Owned by the stage's thread: committed batches executed at the next flush, in sequence order. */
    private final List<CommittedBatch> group = new ArrayList<>();
    private int groupBlocks;
    private int groupRequests;
    /** Owned by the stage's thread: checkpoints found stable, stored after the group before them. */
    private final List<StableCheckpoint> stable = new ArrayList<>();

    /**
     * @param queueMaxItems most Readies' committed batches (and state-transfer deliveries) waiting here;
     *                      the journal stage waits while it is full
     */
    public ExecutionStage(BatchApplier applier, CheckpointKeeper checkpoints, Consumer<Object> results,
                          PipelineFailure failure, int queueMaxItems) {
        this.applier = applier;
        this.checkpoints = checkpoints;
        this.results = results;
        this.failure = failure;
        this.queue = new ArrayBlockingQueue<>(queueMaxItems);
        this.thread = new Thread(this::run, "pbft-execute");
        this.thread.setDaemon(true);
    }

    public void start() {
        running = true;
        thread.start();
    }

    /** Hands work over in order, waiting while the queue is full; false if the pipeline stopped meanwhile. */
    boolean put(Object work) throws InterruptedException {
        while (!failure.failed() && running) {
            if (queue.offer(work, IDLE_POLL_MS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** Work waiting for this stage (a metric, and for tests that wait until it is idle). */
    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Object> work = new ArrayList<>();
        try {
            while (running && !failure.failed()) {
                Object first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                work.add(first);
                queue.drainTo(work);
                for (Object item : work) {
                    if (item instanceof Committed committed) {
                        execute(committed);
                    } else if (item instanceof StateTransfer.Fetched fetched) {
                        flush();
                        store(fetched);
                    } else {
                        throw new IllegalStateException("unknown work " + item);
                    }
                }
                flush();
                work.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.record(ThreadFailures.Kind.EXECUTION, e);
            try {
                LOG.error("execution stage stopped: {}", e.toString(), e);
            } catch (Throwable logging) {
                // Out of memory even for the log line: the driver's failure() and the metric still tell.
            }
        }
    }

    /**
     * Adds the committed batches to the group stored at the next {@link #flush}: everything queued
     * behind the batch being executed goes into one database transaction, at most
     * {@link #GROUP_MAX_BLOCKS} blocks or {@link #GROUP_MAX_REQUESTS} requests. A batch this replica
     * already has (delivered again after a restart, or stored by state transfer first) is checked
     * against the stored chain instead.
     */
    private void execute(Committed committed) {
        for (CommittedBatch batch : committed.batches()) {
            if (group.isEmpty() && batch.sequence() <= applier.latestHeader().sequence()) {
                BlockHeader last = applier.alreadyStored(batch);
                applier.executedUpTo(batch.sequence());
                results.accept(new Executed(batch.sequence(),
                        checkpoints.executed(batch.sequence(), last.hash(), last.height())));
                continue;
            }
            if (groupBlocks >= GROUP_MAX_BLOCKS || groupRequests + batch.requests().size() > GROUP_MAX_REQUESTS) {
                flush();
            }
            group.add(batch);
            groupBlocks += batch.requests().isEmpty() ? 0 : 1;
            groupRequests += batch.requests().size();
        }
        stable.addAll(committed.stable());
    }

    /**
     * Stores the group in one database transaction, then reports each of its sequences in order (a
     * checkpoint digest only for what is stored) and stores the checkpoints that became stable.
     */
    private void flush() {
        if (!group.isEmpty()) {
            List<BlockHeader> covered = applier.applyAll(group);
            for (int i = 0; i < group.size(); i++) {
                long sequence = group.get(i).sequence();
                BlockHeader last = covered.get(i);
                applier.executedUpTo(sequence);
                results.accept(new Executed(sequence, checkpoints.executed(sequence, last.hash(), last.height()),
                        applier.replicaSetChangedAt(sequence).orElse(null)));
            }
            group.clear();
            groupBlocks = 0;
            groupRequests = 0;
        }
        for (StableCheckpoint checkpoint : stable) {
            checkpoints.stable(checkpoint);
        }
        stable.clear();
    }

    /** Stores the proven blocks that follow the chain, and the checkpoint they reach. */
    private void store(StateTransfer.Fetched fetched) {
        for (ExecutedBlock block : fetched.blocks()) {
            if (block.block().height() == applier.latestHeader().height() + 1) {
                applier.applyFetched(block);
            }
        }
        BlockHeader tip = applier.latestHeader();
        StoredCheckpoint cp = fetched.checkpoint();
        if (cp != null && tip.height() >= cp.blockHeight()) {
            // Proven by 2f+1 signatures and covered by stored blocks: storing it is safe whatever the
            // core delivered meanwhile (a checkpoint already stored is not stored again).
            checkpoints.installed(cp, tip.height());
            applier.executedUpTo(cp.sequence());
        }
        results.accept(new FetchedStored(fetched, tip));
    }

    /** Stops the thread; work still queued is dropped, as in a crash (the journal and database recover it). */
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
