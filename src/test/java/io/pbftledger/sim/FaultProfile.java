package io.pbftledger.sim;

import java.util.Locale;

/** How hostile the simulated network is before it heals. */
enum FaultProfile {
    /** No loss or duplication, short random delays (still reordering). */
    CALM,
    /** Loss, duplication, long random delays. */
    LOSSY,
    /** Per seed, one of calm, lightly lossy or heavily lossy; n=7 for some seeds. */
    MIXED;

    static FaultProfile parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
