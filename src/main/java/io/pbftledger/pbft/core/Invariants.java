package io.pbftledger.pbft.core;

/** Invariant checks that stay on in production, unlike {@code assert}. */
public final class Invariants {
    private Invariants() {
    }

    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
