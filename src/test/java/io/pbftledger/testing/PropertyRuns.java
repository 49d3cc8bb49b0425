package io.pbftledger.testing;

import java.util.Random;

/**
 * Runs a property as a fixed number of seeded tries with plain JUnit: try {@code i} draws its values
 * from {@code new Random(baseSeed + i)}, so every run of the build sees the same values and any
 * failure can be replayed exactly.
 *
 * <p>A failing try is reported with its seed and index. Two system properties vary a run (Maven
 * passes {@code -D} options on to the test JVM):
 * <ul>
 *   <li>{@code -Dproperties.seed=N} replaces the base seed {@value #DEFAULT_BASE_SEED}, e.g. to explore
 *       values the fixed seed never reaches;</li>
 *   <li>{@code -Dproperties.tries=N} replaces every property's own number of tries.</li>
 * </ul>
 * Replay one reported failure with {@code -Dproperties.seed=<its seed> -Dproperties.tries=1}
 * and {@code -Dtest=<class>#<method>}.
 */
public final class PropertyRuns {
    public static final String SEED_PROPERTY = "properties.seed";
    public static final String TRIES_PROPERTY = "properties.tries";
    public static final long DEFAULT_BASE_SEED = 20_240_611L;

    /** One try of a property: draws its values from {@code gen} and asserts. */
    @FunctionalInterface
    public interface Try {
        void run(Generators gen) throws Exception;
    }

    private PropertyRuns() {
    }

    /** Runs {@code body} {@code defaultTries} times (or {@code -Dproperties.tries}), each with its own seed. */
    public static void forAll(int defaultTries, Try body) {
        long baseSeed = longProperty(SEED_PROPERTY, DEFAULT_BASE_SEED);
        long tries = longProperty(TRIES_PROPERTY, defaultTries);
        if (tries < 1) {
            throw new IllegalArgumentException("-D" + TRIES_PROPERTY + " must be at least 1, got " + tries);
        }
        for (long i = 0; i < tries; i++) {
            long seed = baseSeed + i;
            try {
                body.run(new Generators(new Random(seed)));
            } catch (Exception | AssertionError e) {
                throw new AssertionError("property failed at try " + i + " of " + tries + " with seed " + seed
                        + " (base seed " + baseSeed + "); replay it with -D" + SEED_PROPERTY + "=" + seed + " -D"
                        + TRIES_PROPERTY + "=1: " + e.getMessage(), e);
            }
        }
    }

    private static long longProperty(String name, long fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be a whole number, got '" + value + "'", e);
        }
    }
}
