package io.pbftledger.sim;

import java.util.List;

/** The outcome of one run; {@link #failure()} is null when safety and liveness held. */
record SimResult(SimConfig config, long simulatedMs, long executedBatches, long messagesSent,
        long messagesLost, long forgedRejected, long catchUps, int maxRetainedLog,
        List<String> safetyViolations, List<String> livenessMissing, List<String> nodeStates, long maxView,
        int restarts, long duplicatesSkipped, long messagesOversized, long messagesMalformed,
        List<String> boundViolations, Attacks attacks, Pipeline pipeline) {

    /**
     * What the staged drivers did ({@link PipelineStats}): fdatasyncs and the Readies they made
     * durable, the most Readies with journal records under one fdatasync and how many syncs covered
     * several, the most sequences execution lagged behind delivery, the deepest journal queue
     * (Readies) and execution queue (batches), the crashes at each point, crashes at restart time (an armed point never reached),
     * and what the crashes lost: Readies not yet synced or sent, batches not executed.
     */
    record Pipeline(long syncs, long readiesSynced, int maxGroup, long groupsOfSeveral, long maxExecutionLag,
            int maxJournalQueue, int maxExecutionQueue, java.util.Map<SimConfig.CrashPoint, Long> crashes,
            long crashesAtRestart, long readiesLost, long batchesNotExecuted) {
        long crashesAt(SimConfig.CrashPoint point) {
            return crashes.getOrDefault(point, 0L);
        }

        @Override
        public String toString() {
            return syncs + " syncs of " + readiesSynced + " readies (largest " + maxGroup + ", " + groupsOfSeveral
                    + " of several), execution lag up to " + maxExecutionLag + ", queues up to " + maxJournalQueue
                    + " readies / " + maxExecutionQueue + " batches, crashes " + crashes + " (" + crashesAtRestart
                    + " at restart time, " + readiesLost + " readies lost, " + batchesNotExecuted
                    + " batches not executed)";
        }
    }

    /**
     * What the run's attacks did: messages accepted from another replica than the one that signed
     * them (relayed PRE-PREPAREs), flood messages sent, lying catch-up batches served and fetched
     * batches refused, censored requests dropped by a censoring primary and submitted by the censored
     * client, and the most checkpoint sequences any replica held against its bound.
     */
    record Attacks(long relayedAccepted, long floodMessages, long liesServed, long fetchesRefused,
            long censoredWithheld, long censoredRequests, int maxCheckpointSequences, int checkpointBound) {
        @Override
        public String toString() {
            return relayedAccepted + " relayed, " + floodMessages + " flooded, " + liesServed + " lies served, "
                    + fetchesRefused + " fetches refused, " + censoredWithheld + " withheld of "
                    + censoredRequests + " censored requests, checkpoint sequences " + maxCheckpointSequences
                    + "/" + checkpointBound;
        }
    }

    boolean ok() {
        return safetyViolations.isEmpty() && livenessMissing.isEmpty() && boundViolations.isEmpty();
    }

    /** A precise failure message with the one-line command that replays the run, or null. */
    String failure() {
        if (ok()) {
            return null;
        }
        return "simulation failed: " + config.describe() + "\n  safety: " + safetyViolations
                + (boundViolations.isEmpty() ? "" : "\n  bounds: " + boundViolations)
                + "\n  liveness (after heal + " + config.livenessBoundMs() + " ms): " + livenessMissing
                + (messagesOversized > 0 ? "\n  messages over the transport's size limit (dropped): " + messagesOversized : "")
                + (messagesMalformed > 0 ? "\n  messages over the receiver's codec limits (dropped): " + messagesMalformed : "")
                + "\n  attacks: " + attacks
                + "\n  pipeline: " + pipeline
                + "\n  nodes: " + String.join("\n         ", nodeStates)
                + "\n  replay: " + replayCommand(config);
    }

    static String replayCommand(SimConfig config) {
        String profile = config.profile().name().toLowerCase(java.util.Locale.ROOT);
        String limit = Simulation.WIRE_LIMIT ? "" : " -Dsim.wireLimit=false";
        return "./mvnw -o -q test -Dtest='SimulationTest#replaySeed' -Dsim.seed=" + config.seed()
                + " -Dsim.profile=" + profile + limit + "   (or: java" + limit + " -cp target/classes:target/test-classes "
                + "io.pbftledger.sim.SimulationSearch " + config.seed() + " 1 " + profile + ")";
    }

    @Override
    public String toString() {
        return config.describe() + " -> " + (ok() ? "ok" : "FAILED") + ", " + simulatedMs + " ms simulated, "
                + executedBatches + " batches, " + messagesSent + " messages (" + messagesLost + " lost), "
                + catchUps + " catch-ups, max retained log " + maxRetainedLog + ", final view " + maxView + ", "
                + restarts + " restarts, " + duplicatesSkipped + " duplicate requests skipped, " + attacks + ", "
                + pipeline
                + (messagesOversized > 0 ? ", " + messagesOversized + " over the size limit" : "")
                + (messagesMalformed > 0 ? ", " + messagesMalformed + " over the codec limits" : "");
    }
}
