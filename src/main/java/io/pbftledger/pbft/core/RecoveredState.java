package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;

/**
 * What a restarted replica knows from its durable state.
 *
 * @param stableCheckpoint the last stable checkpoint with its 2f+1 proof as the driver stored it from
 *     {@link Ready#stableCheckpoints()}, or null (then the low watermark is the last executed
 *     sequence rounded down to a checkpoint, unproven, as before view change existed)
 * @param journal every message of {@link Ready#persist()} since that checkpoint, in the order the
 *     replica produced them (only what was durable before the crash); empty for a fresh replica
 */
public record RecoveredState(long view, long lastExecutedSequence, long lastExecutedTimestamp,
        StableCheckpoint stableCheckpoint, List<Signed<? extends PbftMessage>> journal) {
    public RecoveredState {
        if (view < 0 || lastExecutedSequence < 0 || lastExecutedTimestamp < 0) {
            throw new IllegalArgumentException("recovered state must not be negative");
        }
        journal = List.copyOf(journal);
    }

    public RecoveredState(long view, long lastExecutedSequence, long lastExecutedTimestamp) {
        this(view, lastExecutedSequence, lastExecutedTimestamp, null, List.of());
    }

    public static RecoveredState fresh() {
        return new RecoveredState(0, 0, 0);
    }
}
