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
        int bodyMaxBytes, ReplicaConfig replica, List<Behaviour> behaviours, long slowDelayMs,
        List<Crash> crashes, Partition partition, String censoredClient, Disk disk) {

    /** Node {@code node} crashes at {@code atMs}, or at the first {@code point} after it, and restarts at {@code restartAtMs}. */
    record Crash(int node, long atMs, long restartAtMs, CrashPoint point) {
    }

    /**
     * Where in the staged driver a crash strikes ({@link SimPipeline}). One that never reaches its
     * point before the restart time crashes then, as it is restarted.
     */
    enum CrashPoint {
        /** At its time, whatever the stages hold: queued and syncing Readies lost, queued batches not executed. */
        AT_TIME,
        /** At the next fdatasync: the Readies it was to make durable, and those queued behind, are lost. */
        BEFORE_SYNC,
        /** Just after the next fdatasync: its journal records are durable, none of its messages sent, no batch handed on. */
        AFTER_SYNC,
        /** After the execution stage executed and stored a batch while later ones waited: those are not executed. */
        MID_EXECUTION
    }

    /**
     * The simulated disk and database: each fdatasync of the journal stage takes 0 to {@code syncMaxMs}
     * of simulated time, each batch the execution stage executes and stores 0 to {@code executeMaxMs}.
     */
    record Disk(long syncMaxMs, long executeMaxMs) {
    }

    /** Until {@code untilMs}, nodes in {@code side} (a bit mask) and the others cannot talk to each other. */
    record Partition(long fromMs, long untilMs, int side) {
        boolean separates(long now, int a, int b) {
            return now >= fromMs && now < untilMs && ((side >> a) & 1) != ((side >> b) & 1);
        }
    }

    /**
     * How long after healing every request must have executed everywhere. A stalled cluster never
     * gets there; a slow one does: the long search found runs with one-transaction batches, a window
     * of two checkpoint intervals and a silent replica (every fourth view's primary) that needed 33 to
     * 49 s, executing all along. 60 s tells the two apart, as for churn; passing runs end as soon as
     * everything executed, so the bound costs nothing there.
     */
    static final long LIVENESS_BOUND_MS = 60_000;

    private static final Behaviour[] FAULTS = {
        Behaviour.SILENT, Behaviour.WRONG_DIGEST, Behaviour.REPLAYER, Behaviour.FORGER, Behaviour.SLOW,
        Behaviour.WRONG_REPLIES, Behaviour.BAD_DIGEST_PRIMARY, Behaviour.EQUIVOCATING_PRIMARY,
        Behaviour.CHECKPOINT_FLOOD, Behaviour.REPLAY_FLOOD, Behaviour.CENSORING_PRIMARY,
        Behaviour.LYING_STATE_TRANSFER};

    /** The faults that keep to the protocol's messages but attack memory, CPU, fairness or recovery. */
    private static final Behaviour[] ADVERSARIES = {
        Behaviour.CHECKPOINT_FLOOD, Behaviour.REPLAY_FLOOD, Behaviour.CENSORING_PRIMARY,
        Behaviour.LYING_STATE_TRANSFER};

    static SimConfig random(long seed, FaultProfile profile, Random rnd) {
        FaultProfile effective = profile;
        int n = 4;
        if (profile == FaultProfile.MIXED) {
            effective = rnd.nextInt(3) == 0 ? FaultProfile.CALM : FaultProfile.LOSSY;
            n = size(seed, rnd.nextInt(5) == 0 ? 7 : 4);
        }
        boolean lossy = effective == FaultProfile.LOSSY;
        double loss = lossy ? 0.02 + rnd.nextDouble() * 0.28 : 0;
        double dup = lossy ? rnd.nextDouble() * 0.15 : 0;
        long minDelay = 1 + rnd.nextInt(5);
        long maxDelay = minDelay + (lossy ? 20 + rnd.nextInt(100) : 5 + rnd.nextInt(20));
        long checkpointInterval = new long[] {2, 4, 8, 16}[rnd.nextInt(4)];
        long window = checkpointInterval * (2 + rnd.nextInt(2));
        long retransmit = 50 + rnd.nextInt(250);
        ReplicaConfig replica = drawReplica(seed, n, checkpointInterval, window, retransmit, rnd);
        long submitUntil = 1_000 + rnd.nextInt(2_000);
        long heal = lossy ? submitUntil + rnd.nextInt(1_000) : 0;
        List<Behaviour> behaviours = new ArrayList<>(Collections.nCopies(n, Behaviour.HONEST));
        int faulty = 0;
        if (profile == FaultProfile.MIXED && rnd.nextInt(3) == 0) {
            faulty = 1 + rnd.nextInt(replica.f());
            for (int i = 0; i < faulty; i++) {
                // Node 0 is the first primary: a faulty one must be replaced by a view change.
                behaviours.set(rnd.nextInt(n), FAULTS[rnd.nextInt(FAULTS.length)]);
            }
        }
        if (profile == FaultProfile.BYZANTINE_PRIMARY) {
            behaviours.set(0, rnd.nextBoolean() ? Behaviour.EQUIVOCATING_PRIMARY
                    : rnd.nextBoolean() ? Behaviour.BAD_DIGEST_PRIMARY : Behaviour.SILENT);
            faulty = 1;
        }
        if (profile == FaultProfile.CHURN) {
            return churn(seed, rnd);
        }
        if (profile == FaultProfile.ADVERSARIAL) {
            return adversarial(seed, rnd);
        }
        if (profile == FaultProfile.RECONFIG || profile == FaultProfile.REKEY) {
            return reconfig(seed, rnd, profile);
        }
        Random points = crashPoints(seed);
        Crash crash = null;
        Partition partition = null;
        if (profile == FaultProfile.MIXED || profile == FaultProfile.CRASHES) {
            if (faulty < replica.f() && (profile == FaultProfile.CRASHES || rnd.nextInt(3) == 0)) {
                int node = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(n);
                while (behaviours.get(node).faulty()) {
                    node = (node + 1) % n;
                }
                long at = rnd.nextInt((int) submitUntil);
                crash = new Crash(node, at, at + 200 + rnd.nextInt(2_000),
                        crashPoint(rnd.nextBoolean(), rnd.nextBoolean(), points));
                heal = Math.max(heal, crash.restartAtMs());
            }
            if (rnd.nextInt(4) == 0) {
                long from = rnd.nextInt((int) submitUntil);
                int side = 1 + rnd.nextInt((1 << n) - 2);
                partition = new Partition(from, from + 100 + rnd.nextInt(2_000), side);
                heal = Math.max(heal, partition.untilMs());
            }
        }
        int clients = 2 + rnd.nextInt(6);
        return new SimConfig(seed, profile, n, loss, dup, minDelay, maxDelay, heal, clients,
                50 + rnd.nextInt(250), submitUntil, LIVENESS_BOUND_MS, 300 + rnd.nextInt(700), rnd.nextInt(100),
                200 + rnd.nextInt(400), 16 + rnd.nextInt(300), replica, List.copyOf(behaviours),
                50 + rnd.nextInt(250), crash == null ? List.of() : List.of(crash), partition,
                censoredClient(seed, behaviours, clients), disk(seed));
    }

    /** The replica settings the mixed and adversarial profiles draw: batches, view-change timeout, pipeline depth. */
    private static ReplicaConfig drawReplica(long seed, int n, long checkpointInterval, long window, long retransmit,
            Random rnd) {
        return ReplicaConfig.builder(0, n)
                .checkpoints(checkpointInterval, window)
                .batches(1 + rnd.nextInt(20), 512 + rnd.nextInt(4096), 5 + rnd.nextInt(30))
                .timestampSkewMs(1_000)
                .retransmitIntervalMs(retransmit)
                .viewChangeTimeoutMs(300 + rnd.nextInt(1_200))
                .batchPipelineDepth(pipelineDepth(seed))
                .build();
    }

    /**
     * The client a censoring primary censors: drawn from its own generator, so that a run without one
     * draws exactly what it drew before censoring existed.
     */
    private static String censoredClient(long seed, List<Behaviour> behaviours, int clients) {
        if (!behaviours.contains(Behaviour.CENSORING_PRIMARY)) {
            return null;
        }
        return SimClients.clientId(new Random(seed * 0xC2B2AE3D27D4EB4FL + 1).nextInt(clients));
    }

    /**
     * Replicas that keep to the protocol's messages but attack: up to f of checkpoint flood, replay
     * flood, censoring primary (always the first primary, node 0, so it censors from the start) and
     * lying state transfer, on a calm or lossy network, with a crash and restart of an honest replica
     * in half the runs and a partition in a quarter, so that catch-up (and with it the lying
     * server) is exercised. The faulty replicas' consensus is honest, so a crash on top of them still
     * leaves 2f+1 replicas voting: safety always, every request (the censored client's too) executed
     * by every honest replica after healing.
     */
    private static SimConfig adversarial(long seed, Random rnd) {
        int n = size(seed, rnd.nextInt(5) == 0 ? 7 : 4);
        int f = (n - 1) / 3;
        boolean lossy = rnd.nextBoolean();
        double loss = lossy ? 0.02 + rnd.nextDouble() * 0.2 : 0;
        double dup = lossy ? rnd.nextDouble() * 0.1 : 0;
        long minDelay = 1 + rnd.nextInt(5);
        long maxDelay = minDelay + (lossy ? 20 + rnd.nextInt(80) : 5 + rnd.nextInt(20));
        long checkpointInterval = new long[] {2, 4, 8, 16}[rnd.nextInt(4)];
        long window = checkpointInterval * (2 + rnd.nextInt(2));
        long retransmit = 50 + rnd.nextInt(250);
        ReplicaConfig replica = drawReplica(seed, n, checkpointInterval, window, retransmit, rnd);
        long submitUntil = 1_000 + rnd.nextInt(2_000);
        long heal = lossy ? submitUntil + rnd.nextInt(1_000) : 0;
        List<Behaviour> behaviours = new ArrayList<>(Collections.nCopies(n, Behaviour.HONEST));
        int faulty = 1 + rnd.nextInt(f);
        for (int i = 0; i < faulty; i++) {
            Behaviour b = ADVERSARIES[rnd.nextInt(ADVERSARIES.length)];
            int node = b == Behaviour.CENSORING_PRIMARY ? 0 : 1 + rnd.nextInt(n - 1);
            while (behaviours.get(node).faulty() && b != Behaviour.CENSORING_PRIMARY) {
                node = 1 + node % (n - 1);
            }
            behaviours.set(node, b);
        }
        List<Crash> crashes = new ArrayList<>();
        Random points = crashPoints(seed);
        if (rnd.nextBoolean()) {
            int node = rnd.nextInt(n);
            while (behaviours.get(node).faulty()) {
                node = (node + 1) % n;
            }
            long at = rnd.nextInt((int) submitUntil);
            Crash crash = new Crash(node, at, at + 200 + rnd.nextInt(2_000),
                    crashPoint(rnd.nextBoolean(), rnd.nextBoolean(), points));
            crashes.add(crash);
            heal = Math.max(heal, crash.restartAtMs());
        }
        Partition partition = null;
        if (rnd.nextInt(4) == 0) {
            long from = rnd.nextInt((int) submitUntil);
            partition = new Partition(from, from + 100 + rnd.nextInt(2_000), 1 + rnd.nextInt((1 << n) - 2));
            heal = Math.max(heal, partition.untilMs());
        }
        int clients = 2 + rnd.nextInt(6);
        return new SimConfig(seed, FaultProfile.ADVERSARIAL, n, loss, dup, minDelay, maxDelay, heal, clients,
                50 + rnd.nextInt(250), submitUntil, LIVENESS_BOUND_MS, 300 + rnd.nextInt(700), rnd.nextInt(100),
                200 + rnd.nextInt(400), 16 + rnd.nextInt(300), replica, List.copyOf(behaviours),
                0, List.copyOf(crashes), partition, censoredClient(seed, behaviours, clients), disk(seed));
    }

    /** This configuration with another view-change timeout (tests that need a cluster that never changes view). */
    SimConfig withViewChangeTimeoutMs(long ms) {
        ReplicaConfig r = replica;
        ReplicaConfig changed = ReplicaConfig.builder(r.replicaId(), r.n())
                .checkpoints(r.checkpointInterval(), r.watermarkWindow())
                .batches(r.batchMaxTransactions(), r.batchMaxBytes(), r.batchMaxDelayMs())
                .timestampSkewMs(r.timestampSkewMs())
                .retransmitIntervalMs(r.retransmitIntervalMs())
                .viewChangeTimeoutMs(ms)
                .proposalQueueMaxRequests(r.proposalQueueMaxRequests())
                .batchPipelineDepth(r.batchPipelineDepth())
                .build();
        return new SimConfig(seed, profile, n, lossRate, duplicateRate, minDelayMs, maxDelayMs, healAtMs, clients,
                requests, submitUntilMs, livenessBoundMs, clientTimeoutMs, maxClockOffsetMs, catchUpDelayMs,
                bodyMaxBytes, changed, behaviours, slowDelayMs, crashes, partition, censoredClient, disk);
    }

    /**
     * Replica-set changes ({@link FaultProfile#RECONFIG}): 5 to 7 replicas in the genesis set (one of them
     * Byzantine in half the runs, {@link #reconfigBehaviours}) and up to two more outside it, running from the start, that changes may add; calm or lossy, a crash
     * and restart in half the runs (of a replica the changes keep: the last of the genesis set, which
     * is never removed); the changes themselves are drawn by the simulation ({@link Simulation}).
     */
    private static SimConfig reconfig(long seed, Random rnd, FaultProfile profile) {
        int genesis = 5 + rnd.nextInt(3);
        int n = genesis;
        boolean lossy = rnd.nextBoolean();
        double loss = lossy ? 0.02 + rnd.nextDouble() * 0.15 : 0;
        double dup = lossy ? rnd.nextDouble() * 0.1 : 0;
        long minDelay = 1 + rnd.nextInt(5);
        long maxDelay = minDelay + (lossy ? 20 + rnd.nextInt(80) : 5 + rnd.nextInt(20));
        long checkpointInterval = new long[] {2, 4, 8}[rnd.nextInt(3)];
        long window = checkpointInterval * (2 + rnd.nextInt(2));
        long retransmit = 50 + rnd.nextInt(250);
        ReplicaConfig replica = drawReplica(seed, n, checkpointInterval, window, retransmit, rnd);
        long submitUntil = 1_500 + rnd.nextInt(1_500);
        long heal = lossy ? submitUntil + rnd.nextInt(1_000) : 0;
        List<Crash> crashes = new ArrayList<>();
        // Replicas outside the genesis set, running from the start, that changes may add: drawn from a
        // generator of their own, so that the other draws of a seed stay what they were.
        n = genesis + spares(seed);
        if (rnd.nextBoolean()) {
            long at = rnd.nextInt((int) submitUntil);
            Crash crash = new Crash(genesis - 1, at, at + 200 + rnd.nextInt(1_500),
                    crashPoint(rnd.nextBoolean(), rnd.nextBoolean(), crashPoints(seed)));
            crashes.add(crash);
            heal = Math.max(heal, crash.restartAtMs());
        }
        int clients = 2 + rnd.nextInt(4);
        List<Behaviour> behaviours = reconfigBehaviours(seed, genesis, n);
        // REKEY: a partition in half the runs, from a generator of its own (RECONFIG's draws stay as they were)
        Partition partition = null;
        if (profile == FaultProfile.REKEY) {
            Random cut = new Random(seed * 0x94D049BB133111EBL + 29);
            if (cut.nextBoolean()) {
                long from = cut.nextInt((int) submitUntil);
                partition = new Partition(from, from + 100 + cut.nextInt(2_000), 1 + cut.nextInt((1 << n) - 2));
                heal = Math.max(heal, partition.untilMs());
            }
        }
        return new SimConfig(seed, profile, n, loss, dup, minDelay, maxDelay, heal, clients,
                50 + rnd.nextInt(200), submitUntil, LIVENESS_BOUND_MS, 300 + rnd.nextInt(700), rnd.nextInt(100),
                200 + rnd.nextInt(400), 16 + rnd.nextInt(300), replica, behaviours,
                50 + rnd.nextInt(250), List.copyOf(crashes), partition,
                censoredClient(seed, behaviours, clients), disk(seed));
    }

    /** What a RECONFIG run's genesis member may do instead of following the protocol. */
    private static final Behaviour[] RECONFIG_ADVERSARIES = {
        Behaviour.SILENT, Behaviour.SLOW, Behaviour.WRONG_DIGEST, Behaviour.FORGER, Behaviour.REPLAYER,
        Behaviour.CHECKPOINT_FLOOD, Behaviour.REPLAY_FLOOD, Behaviour.LYING_STATE_TRANSFER,
        Behaviour.CENSORING_PRIMARY};

    /**
     * In half the RECONFIG runs one genesis member is Byzantine (never the last one, which may crash;
     * a censoring primary is the first primary, replica 0); the changes may remove it. Drawn from a
     * generator of its own, so the other draws of a seed stay what they were.
     */
    private static List<Behaviour> reconfigBehaviours(long seed, int genesis, int n) {
        List<Behaviour> behaviours = new ArrayList<>(Collections.nCopies(n, Behaviour.HONEST));
        Random r = new Random(seed * 0xD6E8FEB86659FD93L + 29);
        if (r.nextBoolean()) {
            Behaviour b = RECONFIG_ADVERSARIES[r.nextInt(RECONFIG_ADVERSARIES.length)];
            behaviours.set(b == Behaviour.CENSORING_PRIMARY ? 0 : r.nextInt(genesis - 1), b);
        }
        return behaviours;
    }

    /** How many replicas outside the genesis set a RECONFIG run has (0 to 2), from the seed alone. */
    static int spares(long seed) {
        return new Random(seed * 0x9E3779B97F4A7C15L + 17).nextInt(3);
    }

    /**
     * Crash-restart churn: several crashes of random replicas (overlapping ones too, so more than f can
     * be down for a while), view-change timeouts close to the round-trip time so views change often
     * and during recoveries, small checkpoint windows, sometimes loss and a partition. All replicas
     * are honest: safety must hold whatever crashes; liveness is checked once all are back.
     */
    private static SimConfig churn(long seed, Random rnd) {
        int n = rnd.nextInt(5) == 0 ? 7 : 4;
        boolean lossy = rnd.nextBoolean();
        double loss = lossy ? 0.01 + rnd.nextDouble() * 0.15 : 0;
        double dup = lossy ? rnd.nextDouble() * 0.1 : 0;
        long minDelay = 1 + rnd.nextInt(5);
        long maxDelay = minDelay + 5 + rnd.nextInt(lossy ? 60 : 20);
        long checkpointInterval = new long[] {2, 4, 8}[rnd.nextInt(3)];
        long window = checkpointInterval * (2 + rnd.nextInt(2));
        long retransmit = 30 + rnd.nextInt(150);
        long vcTimeout = 2 * maxDelay + rnd.nextInt(200);
        ReplicaConfig replica = ReplicaConfig.builder(0, n)
                .checkpoints(checkpointInterval, window)
                .batches(1 + rnd.nextInt(10), 512 + rnd.nextInt(4096), 2 + rnd.nextInt(20))
                .timestampSkewMs(1_000)
                .retransmitIntervalMs(retransmit)
                .viewChangeTimeoutMs(vcTimeout)
                .build()
                .withBatchPipelineDepth(pipelineDepth(seed));
        long submitUntil = 1_000 + rnd.nextInt(3_000);
        int count = 2 + rnd.nextInt(7);
        List<Crash> crashes = new ArrayList<>();
        Random points = crashPoints(seed);
        long heal = lossy ? submitUntil + rnd.nextInt(500) : 0;
        for (int i = 0; i < count; i++) {
            long at = rnd.nextInt((int) submitUntil);
            Crash c = new Crash(rnd.nextInt(n), at, at + 20 + rnd.nextInt(1_500),
                    crashPoint(rnd.nextBoolean(), rnd.nextBoolean(), points));
            crashes.add(c);
            heal = Math.max(heal, c.restartAtMs());
        }
        Partition partition = null;
        if (rnd.nextInt(3) == 0) {
            long from = rnd.nextInt((int) submitUntil);
            partition = new Partition(from, from + 50 + rnd.nextInt(1_000), 1 + rnd.nextInt((1 << n) - 2));
            heal = Math.max(heal, partition.untilMs());
        }
        return new SimConfig(seed, FaultProfile.CHURN, n, loss, dup, minDelay, maxDelay, heal, 2 + rnd.nextInt(6),
                50 + rnd.nextInt(400), submitUntil, LIVENESS_BOUND_MS, 200 + rnd.nextInt(500), rnd.nextInt(50),
                100 + rnd.nextInt(300), 16 + rnd.nextInt(300), replica, Collections.nCopies(n, Behaviour.HONEST),
                0, List.copyOf(crashes), partition, null, disk(seed));
    }

    /**
     * Adaptive batching's depth: 1, 2 (the default), 4, or off. Drawn from its own generator so that
     * adding it left every earlier seed's scenario (and the pinned regression seeds) unchanged.
     */
    private static int pipelineDepth(long seed) {
        return new int[] {1, 2, 4, 100_000}[new Random(seed * 0x9E3779B97F4A7C15L).nextInt(4)];
    }

    /**
     * The simulated disk and database of a seed: fdatasyncs of up to 0, 1, 2, 5 or 10 ms, block
     * executions of up to 0, 1, 2 or 5 ms. Drawn from its own generator, as {@link #pipelineDepth}.
     */
    private static Disk disk(long seed) {
        Random r = new Random(seed * 0xD1B54A32D192ED03L + 5);
        return new Disk(new long[] {0, 1, 2, 5, 10}[r.nextInt(5)], new long[] {0, 1, 2, 5}[r.nextInt(4)]);
    }

    /**
     * The number of replicas: {@code drawn} (4 or 7, as the run's generator drew it) in three runs of
     * four, otherwise one or two more, so that sets whose n is not 3f+1 (quorum ⌈(n+f+1)/2⌉, not 2f+1)
     * are searched too. Drawn from its own generator, as {@link #pipelineDepth}.
     */
    static int size(long seed, int drawn) {
        Random r = new Random(seed * 0x94D049BB133111EBL + 11);
        return r.nextInt(4) == 0 ? drawn + 1 + r.nextInt(2) : drawn;
    }

    /** The generator that picks where in the stages each crash strikes, its own as {@link #pipelineDepth}. */
    private static Random crashPoints(long seed) {
        return new Random(seed * 0xAF251AF3B0F025B5L + 7);
    }

    /**
     * Where a crash strikes. The run's generator still draws the two choices it drew for the synchronous
     * driver (at its time or in the next Ready; losing the Ready's unsynced writes or not), so every
     * seed keeps its scenario: a crash at its time stays one, a loss of unsynced writes strikes before
     * the next fdatasync, the rest just after it or in the middle of execution, half each.
     */
    private static CrashPoint crashPoint(boolean inNextReady, boolean lostBeforeSync, Random points) {
        if (!inNextReady) {
            return CrashPoint.AT_TIME;
        }
        if (lostBeforeSync) {
            return CrashPoint.BEFORE_SYNC;
        }
        return points.nextBoolean() ? CrashPoint.AFTER_SYNC : CrashPoint.MID_EXECUTION;
    }

    /** A long, fault-free run with large batches, for the memory bound. */
    static SimConfig longRun(long seed, int requests) {
        ReplicaConfig replica = ReplicaConfig.builder(0, 4)
                .checkpoints(10, 20)
                .batches(500, 1 << 20, 10)
                .timestampSkewMs(1_000)
                .retransmitIntervalMs(500)
                .build();
        long submitUntil = requests / 50L; // 50 requests per simulated ms: batches fill to 500
        return new SimConfig(seed, FaultProfile.CALM, 4, 0, 0, 1, 3, 0, 50, requests, submitUntil, 30_000,
                5_000, 5, 500, 24, replica, Collections.nCopies(4, Behaviour.HONEST), 0, List.of(), null, null,
                new Disk(1, 1));
    }

    String describe() {
        return "seed=" + seed + " profile=" + profile + " n=" + n + " loss=" + String.format("%.2f", lossRate)
                + " dup=" + String.format("%.2f", duplicateRate) + " delay=" + minDelayMs + ".." + maxDelayMs
                + "ms heal=" + healAtMs + "ms requests=" + requests + " K=" + replica.checkpointInterval()
                + " L=" + replica.watermarkWindow() + " batch=" + replica.batchMaxTransactions()
                + " depth=" + replica.batchPipelineDepth()
                + " retransmit=" + replica.retransmitIntervalMs() + "ms vcTimeout=" + replica.viewChangeTimeoutMs() + "ms"
                + " sync<=" + disk.syncMaxMs() + "ms execute<=" + disk.executeMaxMs() + "ms"
                + (behaviours.stream().anyMatch(Behaviour::faulty) ? " behaviours=" + behaviours : "")
                + (censoredClient == null ? "" : " censored=" + censoredClient)
                + (crashes.isEmpty() ? "" : " " + crashes) + (partition == null ? "" : " " + partition);
    }
}
