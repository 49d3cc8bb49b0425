package io.pbftledger.sim;

import java.util.ArrayList;
import java.util.List;

/** Liveness: after the network heals, every submitted request is executed by every replica in time. */
final class LivenessChecker {
    private LivenessChecker() {
    }

    /** Requests as "clientIndex:nonce" pairs; returns what is missing, empty if live. */
    static List<String> missing(SafetyChecker executions, List<Integer> replicas, List<SimClients.Request> submitted) {
        return missing(executions, replicas, submitted, null);
    }

    /**
     * As {@link #missing(SafetyChecker, List, List)}; the requests of {@code censoredClient} (the
     * client a censoring primary keeps out of its batches, or null) are named as censored: they too
     * must be executed everywhere in time, by a view change away from the censor.
     */
    static List<String> missing(SafetyChecker executions, List<Integer> replicas, List<SimClients.Request> submitted,
                                String censoredClient) {
        List<String> missing = new ArrayList<>();
        for (SimClients.Request r : submitted) {
            for (int replica : replicas) {
                if (!executions.executed(replica, r.clientId(), r.nonce())) {
                    missing.add(r.clientId() + "#" + r.nonce() + (r.clientId().equals(censoredClient) ? " (censored)" : "")
                            + " not executed by replica " + replica);
                    if (missing.size() >= 10) {
                        return missing;
                    }
                }
            }
        }
        return missing;
    }
}
