package io.pbftledger.sim;

import io.pbftledger.pbft.core.ReplicaConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Everything a run depends on, derived from the seed by the run's single Random. */
record SimConfig(long seed, FaultProfile profile, int n, double lossRate, double duplicateRate,
        long minDelayMs, long maxDelayMs, long healAtMs, int clients, int requests, long submitUntilMs,
        long livenessBoundMs, long clientTimeoutMs, long maxClockOffsetMs, long catchUpDelayMs,
        int bodyMaxBytes, ReplicaConfig replica, List<Behaviour> behaviours) {

    private static final Behaviour[] BACKUP_FAULTS = {
        Behaviour.SILENT, Behaviour.WRONG_DIGEST, Behaviour.REPLAYER, Behaviour.FORGER};

    static SimConfig random(long seed, FaultProfile profile, Random rnd) {
        FaultProfile effective = profile;
        int n = 4;
        if (profile == FaultProfile.MIXED) {
            effective = rnd.nextInt(3) == 0 ? FaultProfile.CALM : FaultProfile.LOSSY;
            n = rnd.nextInt(5) == 0 ? 7 : 4;
        }
        boolean lossy = effective == FaultProfile.LOSSY;
        double loss = lossy ? 0.02 + rnd.nextDouble() * 0.28 : 0;
        double dup = lossy ? rnd.nextDouble() * 0.15 : 0;
        long minDelay = 1 + rnd.nextInt(5);
        long maxDelay = minDelay + (lossy ? 20 + rnd.nextInt(100) : 5 + rnd.nextInt(20));
        long checkpointInterval = new long[] {2, 4, 8, 16}[rnd.nextInt(4)];
        long window = checkpointInterval * (2 + rnd.nextInt(2));
        ReplicaConfig replica = new ReplicaConfig(0, n, checkpointInterval, window, 1 + rnd.nextInt(20),
                512 + rnd.nextInt(4096), 5 + rnd.nextInt(30), 1_000, 50 + rnd.nextInt(250));
        long submitUntil = 1_000 + rnd.nextInt(2_000);
        long heal = lossy ? submitUntil + rnd.nextInt(1_000) : 0;
        List<Behaviour> behaviours = new ArrayList<>(Collections.nCopies(n, Behaviour.HONEST));
        if (profile == FaultProfile.MIXED && rnd.nextInt(3) == 0) {
            int faulty = 1 + rnd.nextInt(replica.f());
            for (int i = 0; i < faulty; i++) {
                behaviours.set(1 + rnd.nextInt(n - 1), BACKUP_FAULTS[rnd.nextInt(BACKUP_FAULTS.length)]);
            }
        }
        if (profile == FaultProfile.BYZANTINE_PRIMARY) {
            behaviours.set(0, Behaviour.EQUIVOCATING_PRIMARY);
        }
        return new SimConfig(seed, profile, n, loss, dup, minDelay, maxDelay, heal, 2 + rnd.nextInt(6),
                50 + rnd.nextInt(250), submitUntil, 30_000, 300 + rnd.nextInt(700), rnd.nextInt(100),
                200 + rnd.nextInt(400), 16 + rnd.nextInt(300), replica, List.copyOf(behaviours));
    }

    /** A long, fault-free run with large batches, for the memory bound. */
    static SimConfig longRun(long seed, int requests) {
        ReplicaConfig replica = new ReplicaConfig(0, 4, 10, 20, 500, 1 << 20, 10, 1_000, 500);
        long submitUntil = requests / 50L; // 50 requests per simulated ms: batches fill to 500
        return new SimConfig(seed, FaultProfile.CALM, 4, 0, 0, 1, 3, 0, 50, requests, submitUntil, 30_000,
                5_000, 5, 500, 24, replica, Collections.nCopies(4, Behaviour.HONEST));
    }

    String describe() {
        return "seed=" + seed + " profile=" + profile + " n=" + n + " loss=" + String.format("%.2f", lossRate)
                + " dup=" + String.format("%.2f", duplicateRate) + " delay=" + minDelayMs + ".." + maxDelayMs
                + "ms heal=" + healAtMs + "ms requests=" + requests + " K=" + replica.checkpointInterval()
                + " L=" + replica.watermarkWindow() + " batch=" + replica.batchMaxTransactions()
                + " retransmit=" + replica.retransmitIntervalMs() + "ms"
                + (behaviours.stream().anyMatch(Behaviour::faulty) ? " behaviours=" + behaviours : "");
    }
}
