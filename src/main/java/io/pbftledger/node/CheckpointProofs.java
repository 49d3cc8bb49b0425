package io.pbftledger.node;

import io.pbftledger.chain.ReplicaRoster;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaSignatures;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Signed;
import java.util.HashSet;
import java.util.Set;

/** Checks that a checkpoint's proof holds 2f+1 valid signatures (for this chain) of distinct members over its sequence and digest. */
public final class CheckpointProofs {
    private CheckpointProofs() {
    }

    /**
     * Whether a quorum of distinct members of {@code epoch} (the set that ordered the checkpoint's
     * sequence) signed it for this chain, each with the key it holds there.
     */
    public static boolean valid(StoredCheckpoint cp, ReplicaRoster.Epoch epoch, ReplicaSignatures signatures) {
        Set<Integer> signers = new HashSet<>();
        for (Signed<Checkpoint> signed : cp.proof()) {
            Checkpoint c = signed.message();
            if (c.sequence() != cp.sequence() || !c.stateDigest().equals(cp.stateDigest())
                    || !signatures.verify(epoch, signed)) {
                return false;
            }
            signers.add(c.replica());
        }
        return signers.size() >= epoch.quorums().quorum();
    }

    /**
     * Whether at least f+1 distinct members of {@code epoch} signed the checkpoint with the keys they hold
     * there (other signatures are ignored): at least one correct replica of that set vouches for it, so
     * its digest is right. Enough to choose a state-transfer target that a replica behind replica-set
     * changes cannot judge strictly yet; the proof is judged strictly once the fetched chain says which
     * set ordered it.
     */
    public static boolean vouched(StoredCheckpoint cp, ReplicaRoster.Epoch epoch, ReplicaSignatures signatures) {
        Set<Integer> signers = new HashSet<>();
        for (Signed<Checkpoint> signed : cp.proof()) {
            Checkpoint c = signed.message();
            if (c.sequence() == cp.sequence() && c.stateDigest().equals(cp.stateDigest())
                    && signatures.verify(epoch, signed)) {
                signers.add(c.replica());
            }
        }
        return signers.size() >= epoch.quorums().weak();
    }

    public static boolean valid(StoredCheckpoint cp, Membership membership) {
        ReplicaSignatures signatures = new ReplicaSignatures(membership);
        Set<Integer> signers = new HashSet<>();
        for (Signed<Checkpoint> signed : cp.proof()) {
            Checkpoint c = signed.message();
            if (c.sequence() != cp.sequence() || !c.stateDigest().equals(cp.stateDigest())
                    || c.replica() < 0 || c.replica() >= membership.n()) {
                return false;
            }
            if (!signatures.verify(signed)) {
                return false;
            }
            signers.add(c.replica());
        }
        return signers.size() >= membership.quorum();
    }
}
