package io.pbftledger.node;

import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A journal kept in memory, for tests of the node layer that do not restart. */
final class MemoryJournal implements ConsensusJournal {
    private final List<Signed<? extends PbftMessage>> messages = new ArrayList<>();

    @Override
    public synchronized void append(List<Signed<? extends PbftMessage>> batch) {
        messages.addAll(batch);
    }

    @Override
    public synchronized List<Signed<? extends PbftMessage>> load() {
        return List.copyOf(messages);
    }

    @Override
    public synchronized void compact(Predicate<Signed<? extends PbftMessage>> keep) {
        messages.removeIf(keep.negate());
    }

    @Override
    public synchronized long sizeBytes() {
        return messages.size();
    }

    @Override
    public void close() {
    }
}
