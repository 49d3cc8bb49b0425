package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.PreparedProof;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * P for the next VIEW-CHANGE: per sequence above the stable checkpoint, the prepared certificate of
 * the highest view in which the batch prepared here. Survives view changes (unlike the log's slots);
 * bounded by the watermark window because slots only exist inside it.
 */
final class PreparedCertificates {
    private final TreeMap<Long, PreparedProof> bySequence = new TreeMap<>();

    void record(PreparedProof proof) {
        PreparedProof current = bySequence.get(proof.sequence());
        if (current == null || proof.view() >= current.view()) {
            bySequence.put(proof.sequence(), proof);
        }
    }

    List<PreparedProof> above(long stable) {
        return new ArrayList<>(bySequence.tailMap(stable, false).values());
    }

    void collectUpTo(long stable) {
        bySequence.headMap(stable, true).clear();
    }

    int size() {
        return bySequence.size();
    }

    int retainedMessages() {
        int total = 0;
        for (PreparedProof p : bySequence.values()) {
            total += 1 + p.prepares().size();
        }
        return total;
    }
}
