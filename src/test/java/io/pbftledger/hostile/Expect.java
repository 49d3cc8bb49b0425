package io.pbftledger.hostile;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a request must be answered with: one of {@code statuses}; for a refusal a detail that contains
 * every one of {@code detailFragments}, and the fragment {@code byStatus} holds for the status it got
 * (case-insensitive), so the detail names what was wrong. In a batch's 200, the fragments apply to
 * each refused item.
 */
public record Expect(Set<Integer> statuses, List<String> detailFragments, Map<Integer, String> byStatus) {
    public Expect {
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("at least one status");
        }
        statuses = Set.copyOf(statuses);
        detailFragments = List.copyOf(detailFragments);
        byStatus = Map.copyOf(byStatus);
    }

    public Expect(Set<Integer> statuses, List<String> detailFragments) {
        this(statuses, detailFragments, Map.of());
    }

    /** Refused with {@code status}, the detail naming every fragment. */
    public static Expect refused(int status, String... fragments) {
        return new Expect(Set.of(status), List.of(fragments));
    }

    /** Refused with any of {@code statuses}; the detail is checked for precision only. */
    public static Expect refusedAnyOf(Integer... statuses) {
        return new Expect(Set.of(statuses), List.of());
    }

    /** Refused with any status of {@code fragments}, the detail naming that status's fragment. */
    public static Expect refusedAnyOf(Map<Integer, String> fragments) {
        return new Expect(fragments.keySet(), List.of(), fragments);
    }

    /** Served with any of {@code statuses} (2xx). */
    public static Expect served(Integer... statuses) {
        return new Expect(Set.of(statuses), List.of());
    }

    /** The fragments a refusal with {@code status} and {@code detail} lacks, lower-cased comparison. */
    public List<String> missingFrom(int status, String detail) {
        String lower = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
        List<String> wanted = new java.util.ArrayList<>(detailFragments);
        if (byStatus.containsKey(status)) {
            wanted.add(byStatus.get(status));
        }
        return wanted.stream().filter(f -> !lower.contains(f.toLowerCase(Locale.ROOT))).toList();
    }
}
