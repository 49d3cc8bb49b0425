package io.pbftledger.pbft.message;

/** Argument checks shared by the message records. */
final class Checks {
    private Checks() {
    }

    static void notNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
