package io.pbftledger.node;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One Bucket4j token bucket per key (a client id, an IP address), in a map bounded by
 * {@code maxKeys}. A bucket untouched for as long as it takes to refill completely is full again,
 * so forgetting it loses nothing: such idle buckets are evicted first; beyond {@code maxKeys} the
 * least recently used one goes. Thread-safe.
 */
public final class TokenBuckets {
    /** A rate with a burst; a rate of 0 means unlimited. */
    public record Limit(long perSecond, long burst) {
        public static final Limit UNLIMITED = new Limit(0, 0);

        public Limit {
            if (perSecond < 0 || burst < 0) {
                throw new IllegalArgumentException("a rate limit and its burst must be 0 or more");
            }
            if (perSecond > 0 && burst < 1) {
                throw new IllegalArgumentException("a rate limit needs a burst of at least 1");
            }
        }

        public boolean unlimited() {
            return perSecond == 0;
        }

        /** How long an empty bucket takes to fill up. */
        long fullRefillNanos() {
            return (long) Math.ceil(burst * 1e9 / perSecond);
        }
    }

    private static final class Entry {
        final Bucket bucket;
        long lastUsedNanos;

        Entry(Bucket bucket, long lastUsedNanos) {
            this.bucket = bucket;
            this.lastUsedNanos = lastUsedNanos;
        }
    }

    private final Limit limit;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final TimeMeter meter;
    /** Access order: the least recently used bucket first. */
    private final LinkedHashMap<String, Entry> buckets = new LinkedHashMap<>(16, 0.75f, true);

    public TokenBuckets(Limit limit, int maxKeys, LongSupplier nanoClock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1");
        }
        this.limit = limit;
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
        this.meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    public TokenBuckets(Limit limit, int maxKeys) {
        this(limit, maxKeys, System::nanoTime);
    }

    public Limit limit() {
        return limit;
    }

    /** Takes one token of {@code key}'s bucket; returns 0 when taken, else the nanoseconds until one is available. */
    public synchronized long tryTake(String key) {
        if (limit.unlimited()) {
            return 0;
        }
        var probe = entry(key).bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** Nanoseconds until {@code key}'s bucket holds a token again (0 when it holds one); takes nothing. */
    public synchronized long waitNanos(String key) {
        if (limit.unlimited()) {
            return 0;
        }
        Entry entry = buckets.get(key);
        if (entry == null) {
            evictIdle(nanoClock.getAsLong());
            return 0;
        }
        var estimate = entry.bucket.estimateAbilityToConsume(1);
        return estimate.canBeConsumed() ? 0 : Math.max(1, estimate.getNanosToWaitForRefill());
    }

    /** Takes one token even if the bucket is empty (it goes into debt): charging after the fact. */
    public synchronized void charge(String key) {
        if (!limit.unlimited()) {
            entry(key).bucket.consumeIgnoringRateLimits(1);
        }
    }

    /** Takes {@code tokens} even if the bucket holds fewer (it goes into debt): charging after the fact. */
    public synchronized void charge(String key, long tokens) {
        if (!limit.unlimited() && tokens > 0) {
            entry(key).bucket.consumeIgnoringRateLimits(tokens);
        }
    }

    /** Buckets currently remembered (at most maxKeys). */
    public synchronized int size() {
        return buckets.size();
    }

    private Entry entry(String key) {
        long now = nanoClock.getAsLong();
        evictIdle(now);
        Entry entry = buckets.get(key);
        if (entry == null) {
            if (buckets.size() >= maxKeys) {
                Iterator<String> eldest = buckets.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            Bucket bucket = Bucket.builder()
                    .addLimit(b -> b.capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
                    .withCustomTimePrecision(meter)
                    .build();
            entry = new Entry(bucket, now);
            buckets.put(key, entry);
        }
        entry.lastUsedNanos = now;
        return entry;
    }

    /** Drops buckets idle long enough to be full again, oldest first (access order makes them a prefix). */
    private void evictIdle(long now) {
        long idleNanos = limit.fullRefillNanos();
        Iterator<Map.Entry<String, Entry>> it = buckets.entrySet().iterator();
        while (it.hasNext()) {
            Entry e = it.next().getValue();
            if (now - e.lastUsedNanos < idleNanos) {
                break;
            }
            it.remove();
        }
    }
}
