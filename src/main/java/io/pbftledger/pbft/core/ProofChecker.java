package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.pbft.message.ViewChange;
import java.util.List;
import java.util.TreeSet;

/**
 * Validates the proofs inside VIEW-CHANGE messages [4.4]: the checkpoint proof C (2f+1 matching
 * signed CHECKPOINTs from distinct members) and each prepared certificate of P (the primary's
 * pre-prepare of an earlier view plus 2f matching prepares from distinct backups), including every
 * nested signature (through its {@link MessageVerifier}; a driver whose verifier stage checked them
 * all before step passes {@link MessageVerifier#CHECKED_BEFORE_STEP}). The outer signature was
 * checked by the driver.
 */
final class ProofChecker {
    private final Epochs epochs;
    private final long window;
    private final SigningDomain domain;
    private final MessageVerifier verifier;

    ProofChecker(Epochs epochs, long window, SigningDomain domain, MessageVerifier verifier) {
        this.epochs = epochs;
        this.window = window;
        this.domain = domain;
        this.verifier = verifier;
    }

    /** Signed by a member of the current set. */
    boolean signedBy(Signed<? extends PbftMessage> s) {
        return signedBy(s, epochs.current());
    }

    private boolean signedBy(Signed<? extends PbftMessage> s, ReplicaSet set) {
        int replica = s.message().replica();
        return set.contains(replica) && verifier.verify(replica, MessageCodec.signingBytes(domain, s.message()), s.signature());
    }

    /**
     * The digest the proof certifies at {@code sequence}, Digest.ZERO for the genesis, or null if
     * invalid. The proof is judged by the set that ordered {@code sequence}: the checkpoint that ends an
     * epoch is signed by that epoch's set.
     */
    Digest checkpointDigest(long sequence, List<Signed<Checkpoint>> proof) {
        if (sequence == 0) {
            return proof.isEmpty() ? Digest.ZERO : null;
        }
        ReplicaSet set = epochs.setOrdering(sequence);
        if (set == null || proof.size() < set.quorums().quorum() || proof.size() > set.n()) {
            return null;
        }
        Digest digest = proof.get(0).message().stateDigest();
        TreeSet<Integer> senders = new TreeSet<>();
        for (Signed<Checkpoint> s : proof) {
            Checkpoint c = s.message();
            if (c.sequence() != sequence || !c.stateDigest().equals(digest) || !senders.add(c.replica())
                    || !signedBy(s, set)) {
                return null;
            }
        }
        return digest;
    }

    /**
     * A prepared certificate of a view before {@code newView} and of the same epoch, for a sequence in
     * (stable, stable + L].
     */
    boolean preparedValid(PreparedProof proof, long newView, long stable) {
        PrePrepare pp = proof.prePrepare().message();
        ReplicaSet set = epochs.current();
        if (pp.view() >= newView || Epochs.epochOfView(pp.view()) != Epochs.epochOfView(newView)
                || epochs.setOfView(pp.view()) != set || pp.replica() != epochs.primaryOf(pp.view())
                || pp.sequence() <= stable || pp.sequence() > stable + window
                || !BatchDigest.ofRequests(pp.timestamp(), pp.batch()).equals(pp.batchDigest())
                || proof.prepares().size() < set.quorums().prepares() || proof.prepares().size() > set.n()) {
            return false;
        }
        TreeSet<Integer> senders = new TreeSet<>();
        for (Signed<Prepare> s : proof.prepares()) {
            Prepare p = s.message();
            if (p.view() != pp.view() || p.sequence() != pp.sequence() || !p.batchDigest().equals(pp.batchDigest())
                    || p.replica() == pp.replica() || !senders.add(p.replica()) || !signedBy(s, set)) {
                return false;
            }
        }
        return signedBy(proof.prePrepare(), set);
    }

    /** Everything in the VIEW-CHANGE except its outer signature; P must be sorted by sequence, one per sequence. */
    boolean viewChangeValid(ViewChange vc) {
        if (!epochs.current().contains(vc.replica()) || Epochs.epochOfView(vc.newView()) != epochs.number()
                || vc.newView() == epochs.firstView() || vc.stableSequence() < epochs.firstSequence() - 1
                || checkpointDigest(vc.stableSequence(), vc.checkpointProof()) == null) {
            return false;
        }
        long previous = vc.stableSequence();
        for (PreparedProof p : vc.prepared()) {
            if (p.sequence() <= previous || !preparedValid(p, vc.newView(), vc.stableSequence())) {
                return false;
            }
            previous = p.sequence();
        }
        return true;
    }
}
