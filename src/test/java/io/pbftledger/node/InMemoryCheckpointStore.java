package io.pbftledger.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Test double of the JPA checkpoint store with the same contract. */
final class InMemoryCheckpointStore implements CheckpointStore {
    private final TreeMap<Long, StoredCheckpoint> bySequence = new TreeMap<>();

    @Override
    public synchronized void save(StoredCheckpoint checkpoint) {
        bySequence.putIfAbsent(checkpoint.sequence(), checkpoint);
    }

    @Override
    public synchronized Optional<StoredCheckpoint> latest() {
        return bySequence.isEmpty() ? Optional.empty() : Optional.of(bySequence.lastEntry().getValue());
    }

    @Override
    public synchronized Optional<StoredCheckpoint> at(long sequence) {
        return Optional.ofNullable(bySequence.get(sequence));
    }

    @Override
    public synchronized List<StoredCheckpoint> recent(int limit) {
        List<StoredCheckpoint> out = new ArrayList<>(bySequence.descendingMap().values());
        return List.copyOf(out.subList(0, Math.min(limit, out.size())));
    }
}
