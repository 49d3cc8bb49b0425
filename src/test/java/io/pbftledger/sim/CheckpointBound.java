package io.pbftledger.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounded memory under a checkpoint flood, checked outside the replicas after every step: the
 * sequences a replica's checkpoint tracker holds votes for stay within n times the per-sender quota,
 * n × (L/K + 2), whatever sequences a faulty replica signs. Every simulated core is the real, correct
 * one (faults are applied to what it sends), so the bound is checked for all of them.
 */
final class CheckpointBound {
    private final int bound;
    private final int[] max;
    private final List<String> violations = new ArrayList<>();

    CheckpointBound(int n, long watermarkWindow, long checkpointInterval) {
        this.bound = (int) (n * (watermarkWindow / checkpointInterval + 2));
        this.max = new int[n];
    }

    void observe(int replica, int retainedSequences) {
        if (retainedSequences > bound && max[replica] <= bound) {
            violations.add("replica " + replica + " holds checkpoint votes at " + retainedSequences
                    + " sequences, above the bound n*(L/K+2) = " + bound);
        }
        max[replica] = Math.max(max[replica], retainedSequences);
    }

    int bound() {
        return bound;
    }

    /** The most sequences any replica held at once. */
    int max() {
        int m = 0;
        for (int v : max) {
            m = Math.max(m, v);
        }
        return m;
    }

    List<String> violations() {
        return violations;
    }
}
