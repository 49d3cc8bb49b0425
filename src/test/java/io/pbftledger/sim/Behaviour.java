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
    REPLAYER(FaultMode.REPLAYING);

    final FaultMode mode;

    Behaviour(FaultMode mode) {
        this.mode = mode;
    }

    boolean faulty() {
        return this != HONEST;
    }
}
