package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.HashMap;

/**
 * Requests in a pre-prepare accepted (or sent) in the current log, by the sequence that holds them.
 * Entries leave with their slot at garbage collection; by then the request is executed and
 * {@link ExecutedRequests} answers for it. Lookup only, so a HashMap's order never reaches output.
 */
final class InFlightRequests {
    private final HashMap<RequestKey, Long> sequences = new HashMap<>();

    void add(PrePrepare pp) {
        for (ClientRequest r : pp.batch()) {
            sequences.put(RequestKey.of(r), pp.sequence());
        }
    }

    void remove(PrePrepare pp) {
        for (ClientRequest r : pp.batch()) {
            sequences.remove(RequestKey.of(r), pp.sequence());
        }
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
