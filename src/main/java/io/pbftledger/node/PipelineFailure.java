package io.pbftledger.node;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The first unexpected error of one of the replica's pipeline threads (consensus, journal, execution).
 * The stages depend on each other's order, so none goes on after one failed: each checks this and
 * stops; readiness is DOWN from then on and a restart recovers from the journal and the database.
 * Thread-safe.
 */
public final class PipelineFailure {
    /** Which stage failed, and with what. */
    public record Failure(ThreadFailures.Kind stage, Throwable error) {
    }

    private final AtomicReference<Failure> first = new AtomicReference<>();

    /** Records {@code error} of {@code stage} unless another stage failed first. */
    void record(ThreadFailures.Kind stage, Throwable error) {
        first.compareAndSet(null, new Failure(stage, error));
    }

    /** The first failure, or null while every stage runs. */
    public Failure get() {
        return first.get();
    }

    boolean failed() {
        return first.get() != null;
    }
}
