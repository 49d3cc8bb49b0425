package io.pbftledger.sim;

import java.util.Locale;

/** How hostile the simulated network is before it heals. */
enum FaultProfile {
    /** No loss or duplication, short random delays (still reordering). */
    CALM,
    /** Loss, duplication, long random delays. */
    LOSSY,
    /** Per seed, calm or lossy; 4 to 9 replicas; up to f faulty replicas of any behaviour (the primary too), a crash, a partition. */
    MIXED,
    /** A faulty primary (equivocating, bad digests or silent) on a calm network, replaced by a view change. */
    BYZANTINE_PRIMARY,
    /** A crash and restart (with loss of unsynced writes) in every run, sometimes of the primary. */
    CRASHES,
    /** Several crashes and restarts (overlapping too), view-change timeouts near the round trip: views churn. */
    CHURN,
    /**
     * Up to f replicas that keep to the protocol's messages but attack: checkpoint flood, replay flood,
     * a censoring first primary, lying state transfer; calm or lossy, sometimes a crash or a partition.
     */
    ADVERSARIAL,
    /**
     * Replica-set changes: 5 to 7 replicas, from which an admin client removes one or two (never below
     * four) while the load runs, calm or lossy, sometimes with a crash and restart of a replica that
     * stays. Safety across epochs; liveness for the replicas still in the set.
     */
    RECONFIG,
    /**
     * RECONFIG's changes with one to three key rotations among the adds and removals, in any order, and
     * a network partition in half the runs. A
     * rotation is an epoch change that keeps the members (keys are the edge's; the simulator's core
     * sees a new epoch of the same set): the boundary, the switch of views and primaries and the
     * catch-up across it without a membership change. Its own profile, so that RECONFIG's seeds (and
     * their regression runs) keep their schedules.
     */
    REKEY;

    static FaultProfile parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
