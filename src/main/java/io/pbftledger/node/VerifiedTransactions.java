package io.pbftledger.node;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.Digest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded memory of transactions whose client signature this replica already verified, so a
 * transaction submitted here is not verified again when it comes back inside a PRE-PREPARE or is
 * executed. It remembers the key and signature that verified (txId covers the signed bytes only, and
 * a client's key can change), and answers yes only for exactly those. Evicts the oldest entry beyond
 * {@code capacity}. Thread-safe.
 */
public final class VerifiedTransactions {
    private final Map<Digest, Digest> ids;

    public VerifiedTransactions(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Digest, Digest> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void add(Digest txId, Ed25519.PublicKey key, byte[] signature) {
        ids.put(txId, binding(key, signature));
    }

    public synchronized boolean contains(Digest txId, Ed25519.PublicKey key, byte[] signature) {
        Digest known = ids.get(txId);
        return known != null && known.equals(binding(key, signature));
    }

    private static Digest binding(Ed25519.PublicKey key, byte[] signature) {
        return new Digest(Sha256.hash(key.encoded(), signature));
    }
}
