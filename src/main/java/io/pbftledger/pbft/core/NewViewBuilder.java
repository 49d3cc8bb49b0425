package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Computes O from V [4.4], the same way on the new primary and on every backup that checks a
 * NEW-VIEW: min-s is the latest stable checkpoint in V, max-s the highest prepared sequence in V; for
 * every n in (min-s, max-s] O holds a pre-prepare of the new view with the batch prepared in the
 * highest view (ties, possible only with more than f faulty, go to the lowest digest so the result
 * stays deterministic), or a null request (empty batch) where nothing prepared.
 *
 * <p>A null request carries the timestamp of the entry before it in O (0 at the start): it makes no
 * block, and a fresh pre-prepare after it is then still bound to be no earlier than that entry.
 */
final class NewViewBuilder {
    private NewViewBuilder() {
    }

    static long minS(List<ViewChange> viewChanges) {
        long min = 0;
        for (ViewChange vc : viewChanges) {
            min = Math.max(min, vc.stableSequence());
        }
        return min;
    }

    /** The view changes' prepared certificates above min-s, highest view per sequence. */
    private static TreeMap<Long, PreparedProof> best(List<ViewChange> viewChanges, long minS) {
        TreeMap<Long, PreparedProof> best = new TreeMap<>();
        for (ViewChange vc : viewChanges) {
            for (PreparedProof p : vc.prepared()) {
                if (p.sequence() <= minS) {
                    continue;
                }
                PreparedProof current = best.get(p.sequence());
                if (current == null || p.view() > current.view() || (p.view() == current.view()
                        && p.prePrepare().message().batchDigest().compareTo(
                                current.prePrepare().message().batchDigest()) < 0)) {
                    best.put(p.sequence(), p);
                }
            }
        }
        return best;
    }

    /** O for {@code view}, unsigned, in sequence order. */
    static List<PrePrepare> computeO(long view, int primary, List<ViewChange> viewChanges) {
        long minS = minS(viewChanges);
        TreeMap<Long, PreparedProof> best = best(viewChanges, minS);
        long maxS = best.isEmpty() ? minS : best.lastKey();
        List<PrePrepare> o = new ArrayList<>((int) (maxS - minS));
        long timestamp = 0;
        for (long seq = minS + 1; seq <= maxS; seq++) {
            PreparedProof p = best.get(seq);
            List<ClientRequest> batch = List.of();
            if (p != null) {
                PrePrepare prepared = p.prePrepare().message();
                batch = prepared.batch();
                timestamp = prepared.timestamp();
                o.add(new PrePrepare(primary, view, seq, timestamp, prepared.batchDigest(), batch));
            } else {
                o.add(new PrePrepare(primary, view, seq, timestamp, BatchDigest.ofRequests(timestamp, batch), batch));
            }
        }
        return o;
    }
}
