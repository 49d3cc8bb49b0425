package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;

/**
 * What a restarted replica knows from its durable state.
 *
 * @param stableCheckpoint the last stable checkpoint with its 2f+1 proof as the driver stored it from
 *     {@link Ready#stableCheckpoints()}, or null (then the low watermark is the genesis, the only
 *     checkpoint a replica can prove without a stored proof: a VIEW-CHANGE must carry a proof of s)
 * @param journal every message of {@link Ready#persist()} since that checkpoint, in the order the
 *     replica produced them (only what was durable before the crash); empty for a fresh replica
 * @param executedCheckpoint the state digest at the highest checkpoint sequence at or below
 *     {@code lastExecutedSequence}, computed by the driver from its store, or null. The replica signs
 *     its CHECKPOINT for it again (Ed25519 is deterministic: the same message it may have sent before
 *     the crash). Without it a checkpoint whose votes were lost in the crash could never become
 *     stable once every replica restarted past it, and the watermark window would stay full.
 * @param replicaSetChanges every replica-set change the driver executed, in order, with the sequence
 *     it executed it at ({@link Replica#replicaSetChanged}): those whose boundary the stable checkpoint
 *     reached are in effect again, the last one may still be pending
 */
public record RecoveredState(long view, long lastExecutedSequence, long lastExecutedTimestamp,
        StableCheckpoint stableCheckpoint, List<Signed<? extends PbftMessage>> journal,
        ExecutedCheckpoint executedCheckpoint, List<ReplicaSetChange> replicaSetChanges) {
    /** A change of the replica set to {@code next}, executed at {@code sequence}. */
    public record ReplicaSetChange(long sequence, ReplicaSet next) {
        public ReplicaSetChange {
            if (sequence <= 0) {
                throw new IllegalArgumentException("a change is executed at a positive sequence");
            }
            java.util.Objects.requireNonNull(next, "next");
        }
    }

    /** The state digest this replica computed when it executed {@code sequence}, a checkpoint sequence. */
    public record ExecutedCheckpoint(long sequence, Digest stateDigest) {
        public ExecutedCheckpoint {
            if (sequence <= 0) {
                throw new IllegalArgumentException("a checkpoint sequence is positive");
            }
            java.util.Objects.requireNonNull(stateDigest, "stateDigest");
        }
    }

    public RecoveredState {
        if (view < 0 || lastExecutedSequence < 0 || lastExecutedTimestamp < 0) {
            throw new IllegalArgumentException("recovered state must not be negative");
        }
        if (executedCheckpoint != null && executedCheckpoint.sequence() > lastExecutedSequence) {
            throw new IllegalArgumentException("checkpoint " + executedCheckpoint.sequence()
                    + " lies above the last executed sequence " + lastExecutedSequence);
        }
        journal = List.copyOf(journal);
        replicaSetChanges = List.copyOf(replicaSetChanges);
    }

    public RecoveredState(long view, long lastExecutedSequence, long lastExecutedTimestamp,
            StableCheckpoint stableCheckpoint, List<Signed<? extends PbftMessage>> journal,
            ExecutedCheckpoint executedCheckpoint) {
        this(view, lastExecutedSequence, lastExecutedTimestamp, stableCheckpoint, journal, executedCheckpoint, List.of());
    }

    /** This state with the replica-set changes the driver executed. */
    public RecoveredState withReplicaSetChanges(List<ReplicaSetChange> changes) {
        return new RecoveredState(view, lastExecutedSequence, lastExecutedTimestamp, stableCheckpoint, journal,
                executedCheckpoint, changes);
    }

    public RecoveredState(long view, long lastExecutedSequence, long lastExecutedTimestamp,
            StableCheckpoint stableCheckpoint, List<Signed<? extends PbftMessage>> journal) {
        this(view, lastExecutedSequence, lastExecutedTimestamp, stableCheckpoint, journal, null);
    }

    public RecoveredState(long view, long lastExecutedSequence, long lastExecutedTimestamp) {
        this(view, lastExecutedSequence, lastExecutedTimestamp, null, List.of());
    }

    public static RecoveredState fresh() {
        return new RecoveredState(0, 0, 0);
    }
}
