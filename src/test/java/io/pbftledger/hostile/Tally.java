package io.pbftledger.hostile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a run sent and got, by kind and status, and every violation (the first ones kept whole, the
 * rest counted). Thread-safe.
 */
public final class Tally {
    static final int VIOLATIONS_KEPT = 60;

    private final Map<Kind, Map<Integer, Integer>> statuses = new EnumMap<>(Kind.class);
    private final List<String> violations = new ArrayList<>();
    /** Violations grouped by kind, label and what was wrong, numbers and quoted values left out. */
    private final Map<String, Integer> classes = new TreeMap<>();
    private int violationCount;
    /** Time spent waiting for answers, by kind (summed over the connections). */
    private final Map<Kind, Long> nanos = new EnumMap<>(Kind.class);
    private int requests;

    /** One request sent and answered, in {@code tookNanos}, ({@code status}, -1: no answer) with what was wrong with it. */
    public synchronized void record(HostileRequest request, int status, List<String> wrong, long tookNanos) {
        requests++;
        nanos.merge(request.kind(), tookNanos, Long::sum);
        statuses.computeIfAbsent(request.kind(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
        for (String w : wrong) {
            violationCount++;
            classes.merge(request.kind().label() + " [" + shape(request.label()) + "] " + shape(w), 1, Integer::sum);
            if (violations.size() < VIOLATIONS_KEPT) {
                violations.add(request + ": " + w);
            }
        }
    }

    public synchronized int requests() {
        return requests;
    }

    public synchronized int requests(Kind kind) {
        return statuses.getOrDefault(kind, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Requests of {@code kind} answered with {@code status}. */
    public synchronized int answered(Kind kind, int status) {
        return statuses.getOrDefault(kind, Map.of()).getOrDefault(status, 0);
    }

    /** Answers by status over all kinds. */
    public synchronized Map<Integer, Integer> byStatus() {
        Map<Integer, Integer> out = new TreeMap<>();
        statuses.values().forEach(m -> m.forEach((s, n) -> out.merge(s, n, Integer::sum)));
        return out;
    }

    /** Violations by class, e.g. {@code malformed [truncated at byte #] detail '...' does not name [JSON]}: count. */
    public synchronized Map<String, Integer> violationClasses() {
        return new TreeMap<>(classes);
    }

    private static String shape(String text) {
        String s = text.replaceAll("[0-9]+", "#").replaceAll("'[^']*'", "'…'");
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }

    public synchronized int violationCount() {
        return violationCount;
    }

    public synchronized List<String> violations() {
        return Collections.unmodifiableList(new ArrayList<>(violations));
    }

    /** One line per kind, with the time its answers took summed over the connections: {@code malformed 700 (9.1 s): 400 x 612, 200 x 88}. */
    public synchronized String summary() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Kind, Map<Integer, Integer>> e : statuses.entrySet()) {
            sb.append(String.format("  %-13s %5d (%5.1f s): %s%n", e.getKey().label(), requests(e.getKey()),
                    nanos.getOrDefault(e.getKey(), 0L) / 1e9,
                    e.getValue().entrySet().stream().map(s -> (s.getKey() < 0 ? "no answer" : s.getKey()) + " x " + s.getValue())
                            .collect(Collectors.joining(", "))));
        }
        return sb.toString();
    }
}
