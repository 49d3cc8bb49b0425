package io.pbftledger.sim;

import io.pbftledger.pbft.fault.FaultMode;

/**
 * How a simulated node treats what its (real, correct) replica sends: honestly, or through the
 * production {@link io.pbftledger.pbft.fault.FaultInjector} in one of its modes.
 */
enum Behaviour {
    HONEST(null),
    SILENT(FaultMode.SILENT),
    SLOW(FaultMode.SLOW),
    BAD_DIGEST_PRIMARY(FaultMode.BAD_DIGEST_PRIMARY),
    WRONG_DIGEST(FaultMode.BAD_DIGEST_PREPARES),
    WRONG_REPLIES(FaultMode.WRONG_REPLIES),
    EQUIVOCATING_PRIMARY(FaultMode.EQUIVOCATING_PRIMARY),
    FORGER(FaultMode.FORGED_VOTES),
    REPLAYER(FaultMode.REPLAYING),
    /** Honest, but also sends signed CHECKPOINTs for ever-increasing sequences, a burst every tick. */
    CHECKPOINT_FLOOD(FaultMode.CHECKPOINT_FLOOD),
    /** Honest, but re-sends its old VIEW-CHANGE, NEW-VIEW and FORWARD messages to every peer every tick. */
    REPLAY_FLOOD(FaultMode.REPLAY_FLOOD),
    /** While primary, never proposes the run's censored client's requests (dropped before its core). */
    CENSORING_PRIMARY(FaultMode.CENSORING_PRIMARY),
    /** Honest in consensus, but every catch-up it serves is a lie ({@link LyingCatchUp}). */
    LYING_STATE_TRANSFER(FaultMode.LYING_STATE_TRANSFER);

    final FaultMode mode;

    Behaviour(FaultMode mode) {
        this.mode = mode;
    }

    boolean faulty() {
        return this != HONEST;
    }
}
