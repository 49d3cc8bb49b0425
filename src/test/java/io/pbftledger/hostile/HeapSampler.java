package io.pbftledger.hostile;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a replica's used heap every {@code periodMs} from a thread of its own while a run goes on
 * (the source is the replica's own metrics endpoint), keeping the largest value and how many
 * samples were taken and failed.
 */
public final class HeapSampler implements AutoCloseable {
    private final Callable<Long> usedBytes;
    private final long periodMs;
    private final AtomicLong max = new AtomicLong(-1);
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stop;

    public HeapSampler(Callable<Long> usedBytes, long periodMs) {
        this.usedBytes = usedBytes;
        this.periodMs = periodMs;
        this.thread = new Thread(this::loop, "heap-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (!stop) {
            try {
                long used = usedBytes.call();
                max.accumulateAndGet(used, Math::max);
                samples.incrementAndGet();
            } catch (Exception e) {
                failures.incrementAndGet();
            }
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public long maxBytes() {
        return max.get();
    }

    public int samples() {
        return samples.get();
    }

    public int failures() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
