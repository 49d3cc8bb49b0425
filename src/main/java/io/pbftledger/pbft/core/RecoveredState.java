package io.pbftledger.pbft.core;

/** What a restarted replica knows from its durable state. */
public record RecoveredState(long view, long lastExecutedSequence, long lastExecutedTimestamp) {
    public RecoveredState {
        if (view < 0 || lastExecutedSequence < 0 || lastExecutedTimestamp < 0) {
            throw new IllegalArgumentException("recovered state must not be negative");
        }
    }

    public static RecoveredState fresh() {
        return new RecoveredState(0, 0, 0);
    }
}
