package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.HashMap;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Requests in a pre-prepare accepted (or sent) in the current log, by the sequence that holds them.
 * Entries leave once their slot is garbage-collected and executed here, when {@link ExecutedRequests}
 * answers for them. A checkpoint can become stable (from 2f+1 others) before this replica executed
 * it; forgetting those requests then would let the primary order them a second time. Lookup only,
 * so a HashMap's order never reaches output.
 */
final class InFlightRequests {
    private final HashMap<RequestKey, Long> sequences = new HashMap<>();
    private final TreeMap<Long, PrePrepare> collectedNotExecuted = new TreeMap<>();

    /** References (see ClientRequest) are left out: their client and nonce are unsigned hints. */
    void add(PrePrepare pp) {
        for (ClientRequest r : pp.batch()) {
            if (!r.isReference()) {
                sequences.put(RequestKey.of(r), pp.sequence());
            }
        }
    }

    void remove(PrePrepare pp) {
        for (ClientRequest r : pp.batch()) {
            if (!r.isReference()) {
                sequences.remove(RequestKey.of(r), pp.sequence());
            }
        }
    }

    /** The slot of {@code pp} was garbage-collected; keep its requests until they are executed here. */
    void collected(PrePrepare pp, long lastExecuted) {
        if (pp.sequence() <= lastExecuted) {
            remove(pp);
        } else {
            collectedNotExecuted.put(pp.sequence(), pp);
        }
    }

    void executedUpTo(long sequence) {
        if (collectedNotExecuted.isEmpty()) {
            return;
        }
        NavigableMap<Long, PrePrepare> done = collectedNotExecuted.headMap(sequence, true);
        for (PrePrepare pp : done.values()) {
            remove(pp);
        }
        done.clear();
    }

    boolean contains(RequestKey key) {
        return sequences.containsKey(key);
    }

    /** The sequence holding the request, or -1. */
    long sequenceOf(RequestKey key) {
        Long s = sequences.get(key);
        return s == null ? -1 : s;
    }

    int size() {
        return sequences.size();
    }
}
