package io.pbftledger.sim;

import java.util.Locale;

/** How hostile the simulated network is before it heals. */
enum FaultProfile {
    /** No loss or duplication, short random delays (still reordering). */
    CALM,
    /** Loss, duplication, long random delays. */
    LOSSY,
    /** Per seed, calm or lossy; n=7 for some seeds; up to f faulty backups in some seeds. */
    MIXED,
    /** An equivocating primary on a calm network: safety must hold (liveness needs view change). */
    BYZANTINE_PRIMARY;

    static FaultProfile parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
