package io.pbftledger.sim;

/**
 * Long random searches: {@code SimulationSearch <firstSeed> <count> [calm|lossy|mixed|byzantine_primary|crashes|churn|adversarial]}. Prints
 * every failing seed with its replay command and exits with status 1 if any failed.
 */
public final class SimulationSearch {
    private SimulationSearch() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: SimulationSearch <firstSeed> <count> [calm|lossy|mixed|byzantine_primary|crashes|churn|adversarial]");
            System.exit(2);
        }
        long first = Long.parseLong(args[0]);
        long count = Long.parseLong(args[1]);
        FaultProfile profile = args.length > 2 ? FaultProfile.parse(args[2]) : FaultProfile.MIXED;
        long failures = 0;
        long started = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            SimResult result;
            try {
                result = new Simulation(seed, profile).run();
            } catch (RuntimeException e) {
                failures++;
                System.out.println("FAIL seed=" + seed + " threw " + e);
                continue;
            }
            if (!result.ok()) {
                failures++;
                System.out.println("FAIL " + result.failure());
            } else if (result.duplicatesSkipped() > 0) {
                System.out.println("DUPLICATES seed=" + seed + " " + result.duplicatesSkipped());
            }
            if ((seed - first + 1) % 100 == 0) {
                System.out.printf("%d seeds, %d failures, %.1f s%n", seed - first + 1, failures,
                        (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.printf("done: %d seeds from %d (%s), %d failures, %.1f s%n", count, first, profile, failures,
                (System.nanoTime() - started) / 1e9);
        System.exit(failures == 0 ? 0 : 1);
    }
}
