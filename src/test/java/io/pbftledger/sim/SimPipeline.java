package io.pbftledger.sim;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The staged driver of one simulated node, as {@code ReplicaDriver} with its {@code DurabilityStage}
 * and {@code ExecutionStage}, in the simulation's time: the consensus side hands each {@link Ready}
 * to the journal queue and the core advances at once ({@link #hand}). The journal stage takes every
 * Ready queued (at most {@value #GROUP_MAX_READIES}) and makes their records durable with one
 * fdatasync of seeded latency (none when they have no record); then, Ready by Ready, it sends their
 * messages and queues their committed batches and stable checkpoints for the execution stage, and
 * compacts the journal when a stored checkpoint asked for it. The execution stage executes the
 * batches in order, each after a seeded database latency, and only then reports each to the core.
 * Nothing here is a thread or a clock: every step is an event of the simulation's queue, so a seed
 * fixes the interleaving. A crash drops every queue and every pending step ({@link #crash}).
 */
final class SimPipeline {
    /** As {@code DurabilityStage.GROUP_MAX_READIES}. */
    static final int GROUP_MAX_READIES = 1_024;
    /**
     * As {@code ReplicaDriver.JOURNAL_QUEUE_MAX_READIES}. The real consensus thread waits for room; the
     * simulator does not model that wait, so a run that would need it fails loudly instead.
     */
    static final int JOURNAL_QUEUE_MAX_READIES = 4_096;
    /** As {@code ReplicaDriver.EXECUTION_QUEUE_MAX_ITEMS}; reaching it fails the run, as above. */
    static final int EXECUTION_QUEUE_MAX_ITEMS = 1_024;

    /** What the stages do to the node's durable state, its core and the network. */
    interface Node {
        /** The journal stage's append: {@code records} survive a crash from now on. */
        void journal(List<Signed<? extends PbftMessage>> records);

        void send(Outbound out);

        /** Executes and stores {@code batch} (durable), then reports it to the core, which goes on. */
        void execute(CommittedBatch batch);

        /** A Ready's stable checkpoints, after its batches: each stored once executed here. */
        void stable(List<StableCheckpoint> checkpoints);

        /** Journal compaction below a stored stable checkpoint, on the journal stage. */
        void compactJournalBelow(long stableSequence);

        /** The last sequence the execution stage executed (and stored). */
        long executedSequence();

        /** Discards everything volatile; calls {@link SimPipeline#crash()}. */
        void crash();
    }

    /** The committed batches of one Ready, in sequence order, and the checkpoints it found stable. */
    private record Committed(List<CommittedBatch> batches, List<StableCheckpoint> stable) {
    }

    private final EventQueue events;
    private final Random rnd;
    private final SimConfig.Disk disk;
    private final PipelineStats stats;
    private final Node node;
    private final ArrayDeque<Ready> journalQueue = new ArrayDeque<>();
    private final ArrayDeque<Committed> executionQueue = new ArrayDeque<>();
    /** Batches of the head of {@link #executionQueue} executed so far. */
    private int executedOfHead;
    /** The journal stage has a step scheduled (a group syncing, or a wake-up). */
    private boolean journalBusy;
    /** The execution stage has a batch executing. */
    private boolean executionBusy;
    private long compactionRequested;
    private long compactionDone;
    /** The last sequence a Ready delivered since the last restart, 0 before any. */
    private long lastDelivered;
    /** Bumped by every crash: steps scheduled before it do nothing. */
    private long incarnation;
    private SimConfig.CrashPoint armed;

    SimPipeline(EventQueue events, Random rnd, SimConfig.Disk disk, PipelineStats stats, Node node) {
        this.events = events;
        this.rnd = rnd;
        this.disk = disk;
        this.stats = stats;
        this.node = node;
    }

    /** The consensus side: queues {@code ready} for the journal stage; the caller advances the core at once. */
    void hand(Ready ready) {
        if (!ready.committed().isEmpty()) {
            if (lastDelivered > 0) {
                // What earlier Readies delivered and execution has not reached: always 0 with a synchronous driver.
                stats.executionLag(lastDelivered - node.executedSequence());
            }
            lastDelivered = ready.committed().get(ready.committed().size() - 1).sequence();
        }
        if (journalQueue.size() >= JOURNAL_QUEUE_MAX_READIES) {
            throw new IllegalStateException("the journal queue is full (" + JOURNAL_QUEUE_MAX_READIES
                    + " Readies): the real consensus thread would wait here, which the simulator does not model");
        }
        journalQueue.add(ready);
        stats.journalQueue(journalQueue.size());
        wakeJournal();
    }

    /** The execution stage stored a stable checkpoint: the journal stage compacts below it when it next can. */
    void requestCompaction(long stableSequence) {
        compactionRequested = Math.max(compactionRequested, stableSequence);
        wakeJournal();
    }

    /** The next crash point {@code point} reached crashes the node. */
    void arm(SimConfig.CrashPoint point) {
        armed = point;
    }

    /** A crash at its time, whatever the stages hold: counts what it lost. */
    void crashAtTime() {
        stats.crashed(SimConfig.CrashPoint.AT_TIME, journalQueue.size(), batchesWaiting());
        node.crash();
    }

    /** A crash at restart time of a node still up: its armed point was never reached, or an overlapping crash restarted it. */
    void crashAtRestart() {
        stats.crashedAtRestart();
        node.crash();
    }

    /** Everything queued and every scheduled step is gone; what was durable stays with the node. */
    void crash() {
        incarnation++;
        journalQueue.clear();
        executionQueue.clear();
        executedOfHead = 0;
        journalBusy = false;
        executionBusy = false;
        compactionRequested = 0;
        compactionDone = 0;
        lastDelivered = 0;
        armed = null;
    }

    int journalQueued() {
        return journalQueue.size();
    }

    int batchesWaiting() {
        int waiting = -executedOfHead;
        for (Committed c : executionQueue) {
            waiting += c.batches().size();
        }
        return waiting;
    }

    private long latency(long maxMs) {
        return maxMs == 0 ? 0 : rnd.nextInt((int) maxMs + 1);
    }

    /** Runs {@code step} later unless a crash came in between. */
    private void later(long delayMs, Runnable step) {
        long at = incarnation;
        events.after(delayMs, () -> {
            if (at == incarnation) {
                step.run();
            }
        });
    }

    /** The journal thread wakes (in this instant, after what is already due now) unless it is at work. */
    private void wakeJournal() {
        if (!journalBusy) {
            journalBusy = true;
            later(0, this::nextGroup);
        }
    }

    /** Takes every Ready queued (up to the group limit) and starts their one fdatasync. */
    private void nextGroup() {
        if (journalQueue.isEmpty()) {
            compactIfRequested();
            journalBusy = false;
            return;
        }
        List<Ready> group = new ArrayList<>();
        while (!journalQueue.isEmpty() && group.size() < GROUP_MAX_READIES) {
            group.add(journalQueue.poll());
        }
        List<Signed<? extends PbftMessage>> records = new ArrayList<>();
        int withRecords = 0;
        for (Ready ready : group) {
            records.addAll(ready.persist());
            withRecords += ready.persist().isEmpty() ? 0 : 1;
        }
        if (records.isEmpty()) {
            release(group); // nothing to append: no fdatasync
            return;
        }
        int readiesWithRecords = withRecords;
        later(latency(disk.syncMaxMs()), () -> synced(group, records, readiesWithRecords));
    }

    private void synced(List<Ready> group, List<Signed<? extends PbftMessage>> records, int withRecords) {
        if (armed == SimConfig.CrashPoint.BEFORE_SYNC) {
            stats.crashed(armed, group.size() + journalQueue.size(), batchesWaiting());
            node.crash();
            return;
        }
        node.journal(records);
        stats.synced(group.size(), withRecords);
        if (armed == SimConfig.CrashPoint.AFTER_SYNC) {
            stats.crashed(armed, journalQueue.size(), batchesWaiting());
            node.crash();
            return;
        }
        release(group);
    }

    /** Ready by Ready, in the core's order: its messages leave, then its batches go to execution. */
    private void release(List<Ready> group) {
        for (Ready ready : group) {
            ready.messages().forEach(node::send);
            if (!ready.committed().isEmpty() || !ready.stableCheckpoints().isEmpty()) {
                toExecution(new Committed(ready.committed(), ready.stableCheckpoints()));
            }
        }
        compactIfRequested();
        nextGroup(); // the thread loops: what queued during the fdatasync is the next group
    }

    private void compactIfRequested() {
        if (compactionRequested > compactionDone) {
            node.compactJournalBelow(compactionRequested);
            compactionDone = compactionRequested;
        }
    }

    private void toExecution(Committed committed) {
        if (executionQueue.size() >= EXECUTION_QUEUE_MAX_ITEMS) {
            throw new IllegalStateException("the execution queue is full (" + EXECUTION_QUEUE_MAX_ITEMS
                    + " Readies): the real journal stage would wait here, which the simulator does not model");
        }
        executionQueue.add(committed);
        stats.executionQueue(batchesWaiting());
        if (!executionBusy) {
            executionBusy = true;
            nextExecution();
        }
    }

    /** Starts executing the next batch, storing the stable checkpoints of every Ready whose batches are done. */
    private void nextExecution() {
        while (!executionQueue.isEmpty()) {
            Committed head = executionQueue.peek();
            if (executedOfHead < head.batches().size()) {
                later(latency(disk.executeMaxMs()), this::executeNext);
                return;
            }
            executionQueue.poll();
            executedOfHead = 0;
            node.stable(head.stable());
        }
        executionBusy = false;
    }

    private void executeNext() {
        CommittedBatch batch = executionQueue.peek().batches().get(executedOfHead++);
        node.execute(batch);
        if (armed == SimConfig.CrashPoint.MID_EXECUTION && batchesWaiting() > 0) {
            stats.crashed(armed, journalQueue.size(), batchesWaiting());
            node.crash();
            return;
        }
        nextExecution();
    }
}
