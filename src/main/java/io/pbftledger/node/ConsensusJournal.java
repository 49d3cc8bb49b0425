package io.pbftledger.node;

import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.function.Predicate;

/**
 * The replica's append-only record of the consensus messages it is about to send (pre-prepares,
 * prepares, commits, view changes, new views). Written before the messages leave, so that after a
 * crash the replica never sends a message that contradicts one it sent before.
 */
public interface ConsensusJournal extends AutoCloseable {

    /** Appends {@code messages} and returns only once they are durable. */
    void append(List<Signed<? extends PbftMessage>> messages);

    /** Everything durable, in append order (a torn last record from a crash is dropped). */
    List<Signed<? extends PbftMessage>> load();

    /** Rewrites the journal keeping only the messages {@code keep} accepts (after a stable checkpoint). */
    void compact(Predicate<Signed<? extends PbftMessage>> keep);

    /** Bytes currently on disk, for metrics and tests. */
    long sizeBytes();

    @Override
    void close();
}
