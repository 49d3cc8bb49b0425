package io.pbftledger.sim;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the simulated pipelines of a run did, over all its nodes: how Readies were grouped under
 * fdatasyncs, how far execution fell behind delivery, how deep the queues got, and which crash
 * points struck with what still queued. A synchronous driver would show groups of one Ready, no lag
 * and no crash between the stages; {@code SimulationTest} checks that the CI seeds show otherwise.
 */
final class PipelineStats {
    private long syncs;
    private long readiesSynced;
    private int maxGroupWithRecords;
    private long groupsOfSeveral;
    private long maxExecutionLag;
    private int maxJournalQueue;
    private int maxExecutionQueue;
    private final Map<SimConfig.CrashPoint, Long> crashes = new EnumMap<>(SimConfig.CrashPoint.class);
    private long crashesAtRestart;
    private long readiesLost;
    private long batchesNotExecuted;

    /** One fdatasync made {@code readies} Readies durable, {@code withRecords} of them with journal records. */
    void synced(int readies, int withRecords) {
        syncs++;
        readiesSynced += readies;
        maxGroupWithRecords = Math.max(maxGroupWithRecords, withRecords);
        groupsOfSeveral += withRecords > 1 ? 1 : 0;
    }

    /** Sequences earlier Readies delivered that execution had not reached when the core delivered more. */
    void executionLag(long sequences) {
        maxExecutionLag = Math.max(maxExecutionLag, sequences);
    }

    void journalQueue(int readies) {
        maxJournalQueue = Math.max(maxJournalQueue, readies);
    }

    void executionQueue(int batches) {
        maxExecutionQueue = Math.max(maxExecutionQueue, batches);
    }

    /** A crash at {@code point}, losing {@code readies} unsynced or unsent Readies and {@code batches} unexecuted ones. */
    void crashed(SimConfig.CrashPoint point, int readies, int batches) {
        crashes.merge(point, 1L, Long::sum);
        readiesLost += readies;
        batchesNotExecuted += batches;
    }

    /** A crash at restart time: an armed point never reached, or a node an overlapping crash restarted. */
    void crashedAtRestart() {
        crashesAtRestart++;
    }

    SimResult.Pipeline snapshot() {
        return new SimResult.Pipeline(syncs, readiesSynced, maxGroupWithRecords, groupsOfSeveral, maxExecutionLag,
                maxJournalQueue, maxExecutionQueue, Collections.unmodifiableMap(new EnumMap<>(crashes)), crashesAtRestart, readiesLost,
                batchesNotExecuted);
    }
}
