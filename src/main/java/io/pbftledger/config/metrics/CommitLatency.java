package io.pbftledger.config.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** The submit-to-commit histogram of transactions submitted to this replica. */
public final class CommitLatency {
    private CommitLatency() {
    }

    /** A recorder of nanoseconds into {@code pbft_commit_latency_seconds}, or a no-op without a registry. */
    public static LongConsumer recorder(MeterRegistry registry) {
        if (registry == null) {
            return nanos -> { };
        }
        Timer timer = Timer.builder("pbft.commit.latency")
                .description("Time from admission of a transaction at this replica to its commit in a block")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
