package io.pbftledger.storage;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A negative cache of the (clientId, nonce) pairs stored in {@code transactions}: "no" is certain,
 * "maybe" is checked against the database. Every request a replica admits, validates in a
 * PRE-PREPARE or executes asks whether its pair ran before, almost always to hear "no"; without this
 * filter each question was an indexed query on the consensus thread (about half of its time under
 * load, see BENCHMARKS.md).
 *
 * <p>Correctness needs only one rule: a pair is added <em>before</em> the database transaction that
 * stores it commits, so a "no" can never hide a committed row. A pair added for a write that then
 * fails costs one extra query later, nothing else.
 *
 * <p>Memory: Bloom filters at {@link #FALSE_POSITIVE_RATE}, about 1.2 bytes per pair. When one is
 * full a new one twice as large is started (a scalable Bloom filter), until {@code maxBytes}; after
 * that the newest keeps absorbing pairs and only its false-positive rate (so the share of questions
 * that reach the database) grows. Thread-safe: one writer at a time (the store's single writer),
 * readers on any thread.
 */
final class ExecutedPairFilter {
    /** Share of "maybe" answers for pairs never stored, while within capacity. */
    static final double FALSE_POSITIVE_RATE = 0.01;
    /** Bits per pair Guava allots at {@link #FALSE_POSITIVE_RATE} (−ln p / ln²2 ≈ 9.6), rounded up. */
    private static final double BITS_PER_PAIR = 9.6;

    private static final Funnel<Pair> FUNNEL = (pair, into) -> {
        into.putString(pair.clientId(), StandardCharsets.UTF_8);
        into.putLong(pair.nonce());
    };

    private final List<BloomFilter<Pair>> generations = new CopyOnWriteArrayList<>();
    private final long maxBytes;
    private long newestCapacity;
    private long newestCount;
    private long totalBytes;
    private long pairs;

    /**
     * @param initialCapacity pairs the first filter holds at {@link #FALSE_POSITIVE_RATE}
     * @param maxBytes        memory after which no new filter is started
     */
    ExecutedPairFilter(long initialCapacity, long maxBytes) {
        if (initialCapacity < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("capacity and memory bound must be positive, not "
                    + initialCapacity + " pairs and " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
        startGeneration(initialCapacity);
    }

    /** Whether the pair may have been stored: false means it certainly was not. */
    boolean mightContain(String clientId, long nonce) {
        Pair pair = new Pair(clientId, nonce);
        for (BloomFilter<Pair> filter : generations) {
            if (filter.mightContain(pair)) {
                return true;
            }
        }
        return false;
    }

    /** Records a pair; call before the write that stores it commits. */
    synchronized void add(String clientId, long nonce) {
        if (newestCount >= newestCapacity && totalBytes + bytesFor(newestCapacity * 2) <= maxBytes) {
            startGeneration(newestCapacity * 2);
        }
        generations.get(generations.size() - 1).put(new Pair(clientId, nonce));
        newestCount++;
        pairs++;
    }

    /** Pairs added so far (a pair added twice counts twice). */
    synchronized long pairs() {
        return pairs;
    }

    /** Approximate memory held by the filters' bit arrays. */
    synchronized long bytes() {
        return totalBytes;
    }

    synchronized int generations() {
        return generations.size();
    }

    private void startGeneration(long capacity) {
        generations.add(BloomFilter.create(FUNNEL, capacity, FALSE_POSITIVE_RATE));
        newestCapacity = capacity;
        newestCount = 0;
        totalBytes += bytesFor(capacity);
    }

    private static long bytesFor(long capacity) {
        return (long) Math.ceil(capacity * BITS_PER_PAIR / 8);
    }

    private record Pair(String clientId, long nonce) {
    }
}
