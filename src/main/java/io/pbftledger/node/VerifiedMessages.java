package io.pbftledger.node;

import io.pbftledger.pbft.message.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Replica messages whose signature (and, for a VIEW-CHANGE or NEW-VIEW, every nested signature)
 * verified, by the digest of their signing bytes and signature, with the time each was last let
 * through. A message seen again costs a hash instead of its signature checks; one seen again within
 * {@code replayWindowMs} of the last time it was let through is a replay and is not let through
 * (honest replicas re-send a message only after a retransmit interval); one known to be of no use
 * (a FORWARD of executed requests) is dropped whenever it comes again. Bounded by
 * {@code maxEntries}, least recently used first out. Thread-safe.
 */
public final class VerifiedMessages {
    /** What is known of a message. */
    public enum Seen { NEW, VERIFIED, REPLAYED, USELESS }

    /** The time kept for a message that can never matter again (a FORWARD of executed requests). */
    private static final long USELESS = Long.MAX_VALUE;

    private final int maxEntries;
    private final long replayWindowMs;
    private final LongSupplier clockMillis;
    private final LinkedHashMap<Digest, Long> lastPassedMs;

    public VerifiedMessages(int maxEntries, long replayWindowMs, LongSupplier clockMillis) {
        if (maxEntries < 1 || replayWindowMs < 0) {
            throw new IllegalArgumentException("maxEntries must be at least 1 and replayWindowMs 0 or more");
        }
        this.maxEntries = maxEntries;
        this.replayWindowMs = replayWindowMs;
        this.clockMillis = clockMillis;
        this.lastPassedMs = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Digest, Long> eldest) {
                return size() > VerifiedMessages.this.maxEntries;
            }
        };
    }

    /** The key of a signed message: its signing bytes and its signature. */
    public static Digest key(byte[] signingBytes, byte[] signature) {
        return Digest.sha256(signingBytes, signature);
    }

    public synchronized Seen seen(Digest key) {
        Long last = lastPassedMs.get(key);
        if (last == null) {
            return Seen.NEW;
        }
        if (last == USELESS) {
            return Seen.USELESS;
        }
        return clockMillis.getAsLong() - last < replayWindowMs ? Seen.REPLAYED : Seen.VERIFIED;
    }

    /** Whether the signature behind {@code key} verified before (a nested message: no replay window). */
    public synchronized boolean verified(Digest key) {
        return lastPassedMs.get(key) != null;
    }

    /** The message behind {@code key} verified and goes to the core now. */
    public synchronized void passed(Digest key) {
        lastPassedMs.put(key, clockMillis.getAsLong());
    }

    /** The message behind {@code key} verified but can never be of use (its requests executed): dropped from now on. */
    public synchronized void useless(Digest key) {
        lastPassedMs.put(key, USELESS);
    }

    /** A nested message whose signature verified; it does not start a replay window of its own. */
    public synchronized void verifiedNested(Digest key) {
        lastPassedMs.putIfAbsent(key, Long.MIN_VALUE / 2);
    }

    public synchronized int size() {
        return lastPassedMs.size();
    }
}
