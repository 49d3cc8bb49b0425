package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Quorums;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Checks a committed batch fetched from a peer (catch-up): 2f+1 COMMITs from distinct members for
 * exactly its (view, sequence, digest), and a digest that matches its timestamp and requests.
 * Signatures were verified by the driver, like every input of the core.
 */
final class CertifiedBatchCheck {
    private CertifiedBatchCheck() {
    }

    /** The batch with its certificate normalised to a quorum of commits sorted by replica, or null if invalid. */
    static CommittedBatch normalise(CommittedBatch b, Epochs epochs) {
        // Judged by the set of the batch's view, which must be the set that orders its sequence.
        ReplicaSet replicas = epochs.setOfView(b.view());
        if (replicas == null || replicas != epochs.setOrdering(b.sequence())) {
            return null;
        }
        Quorums quorums = replicas.quorums();
        // An empty batch is a null request from a NEW-VIEW: it is certified like any other.
        if (b.primary() != epochs.primaryOf(b.view())
                || !BatchDigest.ofRequests(b.timestamp(), b.requests()).equals(b.batchDigest())) {
            return null;
        }
        TreeMap<Integer, Signed<Commit>> distinct = new TreeMap<>();
        for (Signed<Commit> s : b.certificate()) {
            Commit c = s.message();
            if (!replicas.contains(c.replica()) || c.view() != b.view() || c.sequence() != b.sequence()
                    || !c.batchDigest().equals(b.batchDigest())) {
                return null;
            }
            distinct.putIfAbsent(c.replica(), s);
        }
        int quorum = quorums.quorum();
        if (distinct.size() < quorum) {
            return null;
        }
        List<Signed<Commit>> certificate = new ArrayList<>(distinct.values()).subList(0, quorum);
        return new CommittedBatch(b.view(), b.sequence(), b.timestamp(), b.primary(), b.batchDigest(),
                b.requests(), certificate);
    }
}
