package io.pbftledger.node;

import io.pbftledger.pbft.message.Digest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded memory of transaction ids whose client signature this replica already verified, so a
 * transaction submitted here is not verified again when it comes back inside a PRE-PREPARE.
 * Evicts the oldest entry beyond {@code capacity}. Thread-safe.
 */
public final class VerifiedTransactions {
    private final Map<Digest, Boolean> ids;

    public VerifiedTransactions(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Digest, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void add(Digest txId) {
        ids.put(txId, Boolean.TRUE);
    }

    public synchronized boolean contains(Digest txId) {
        return ids.containsKey(txId);
    }
}
