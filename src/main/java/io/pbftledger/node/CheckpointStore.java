package io.pbftledger.node;

import java.util.List;
import java.util.Optional;

/** Stable checkpoints with their proofs; the storage package implements it. */
public interface CheckpointStore {

    /** Stores a stable checkpoint; storing the same sequence again is a no-op. */
    void save(StoredCheckpoint checkpoint);

    Optional<StoredCheckpoint> latest();

    /** The stable checkpoint at {@code sequence}, if this replica stored one there. */
    Optional<StoredCheckpoint> at(long sequence);

    /** The newest checkpoints first, at most {@code limit} (1..1000). */
    List<StoredCheckpoint> recent(int limit);
}
