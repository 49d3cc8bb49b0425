package io.pbftledger.node;

import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Journal compaction below a stored stable checkpoint, asked for by the execution stage (which stores
 * checkpoints) and carried out by the journal stage (the journal's only writer), in order with its
 * appends. Only the highest stable sequence asked for matters: compacting below it covers every lower
 * one. Thread-safe.
 */
public final class JournalCompaction {
    private final AtomicLong requested = new AtomicLong();
    private long done;

    /** Compact below {@code stableSequence} when the journal stage next can (within its idle poll). */
    public void request(long stableSequence) {
        requested.accumulateAndGet(stableSequence, Math::max);
    }

    /** The highest stable sequence asked for and not yet compacted below, or 0. Journal stage only. */
    long pending() {
        long r = requested.get();
        return r > done ? r : 0;
    }

    /**
     * Compacts {@code journal} below the highest sequence asked for, if any is new. Ordering messages
     * at or below it are never needed again, and of the view changes only this replica's newest
     * VIEW-CHANGE and NEW-VIEW matter (they fix the view it restarts in and what it promised there).
     * Journal stage only.
     */
    void runIfRequested(ConsensusJournal journal) {
        long stable = pending();
        if (stable == 0) {
            return;
        }
        long newestViewChange = -1;
        long newestNewView = -1;
        for (Signed<? extends PbftMessage> m : journal.load()) {
            if (m.message() instanceof ViewChange vc) {
                newestViewChange = Math.max(newestViewChange, vc.newView());
            } else if (m.message() instanceof NewView nv) {
                newestNewView = Math.max(newestNewView, nv.view());
            }
        }
        long keepViewChange = newestViewChange;
        long keepNewView = newestNewView;
        journal.compact(m -> {
            if (m.message() instanceof OrderingMessage ordering) {
                return ordering.sequence() > stable;
            }
            if (m.message() instanceof ViewChange vc) {
                return vc.newView() == keepViewChange;
            }
            if (m.message() instanceof NewView nv) {
                return nv.view() == keepNewView;
            }
            return true;
        });
        done = stable;
    }
}
