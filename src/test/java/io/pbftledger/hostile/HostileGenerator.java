package io.pbftledger.hostile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The hostile run's requests: each source makes its share from a random of its own, seeded from the
 * run's seed and its place in the plan (so changing one source's share leaves the others' requests
 * as they were), and the whole is shuffled with the run's seed. The same seed and target give the
 * same requests, save for what depends on the keys and the clock (signatures, read timestamps).
 */
public final class HostileGenerator {
    /** Each source and how many requests it makes. */
    public static Map<RequestSource, Integer> plan() {
        Map<RequestSource, Integer> plan = new LinkedHashMap<>();
        plan.put(new MalformedBodies(), 700);
        plan.put(new OversizedBodies(), 54);
        plan.put(new DeepNesting(), 220);
        plan.put(new HugeStructures(), 140);
        plan.put(new PathTricks(), 600);
        plan.put(new Replays(), 300);
        plan.put(new ForgedTransactions(), 280);
        plan.put(new ForgedReads(), 180);
        plan.put(new ForgedPeerRequests(), 180);
        plan.put(new WrongMethods(), 200);
        plan.put(new ValidTraffic(), 100);
        return plan;
    }

    private HostileGenerator() {
    }

    public static List<HostileRequest> generate(long seed, Target target) {
        return generate(seed, target, plan());
    }

    public static List<HostileRequest> generate(long seed, Target target, Map<RequestSource, Integer> plan) {
        List<HostileRequest> all = new ArrayList<>();
        int place = 0;
        for (Map.Entry<RequestSource, Integer> e : plan.entrySet()) {
            Random random = new Random(seed * 1_000_003L + place++);
            List<HostileRequest> made = e.getKey().generate(random, target, e.getValue());
            if (made.size() != e.getValue()) {
                throw new IllegalStateException(e.getKey().getClass().getSimpleName() + " made " + made.size()
                        + " requests, not " + e.getValue());
            }
            all.addAll(made);
        }
        Collections.shuffle(all, new Random(seed));
        return all;
    }
}
