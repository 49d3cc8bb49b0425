package io.pbftledger.hostile;

import java.util.Locale;
import java.util.Set;

/**
 * What a request must be answered with: one of {@code statuses}, and for a refusal a detail that
 * contains every one of {@code detailFragments} (case-insensitive), so the detail names what was wrong.
 */
public record Expect(Set<Integer> statuses, java.util.List<String> detailFragments) {
    public Expect {
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("at least one status");
        }
        statuses = Set.copyOf(statuses);
        detailFragments = java.util.List.copyOf(detailFragments);
    }

    /** Refused with {@code status}, the detail naming every fragment. */
    public static Expect refused(int status, String... fragments) {
        return new Expect(Set.of(status), java.util.List.of(fragments));
    }

    /** Refused with any of {@code statuses}; the detail is checked for precision only. */
    public static Expect refusedAnyOf(Integer... statuses) {
        return new Expect(Set.of(statuses), java.util.List.of());
    }

    /** Served with any of {@code statuses} (2xx). */
    public static Expect served(Integer... statuses) {
        return new Expect(Set.of(statuses), java.util.List.of());
    }

    /** The fragments {@code detail} lacks, lower-cased comparison. */
    public java.util.List<String> missingFrom(String detail) {
        String lower = detail == null ? "" : detail.toLowerCase(Locale.ROOT);
        return detailFragments.stream().filter(f -> !lower.contains(f.toLowerCase(Locale.ROOT))).toList();
    }
}
