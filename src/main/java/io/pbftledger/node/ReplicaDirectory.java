package io.pbftledger.node;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Status;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The replicas as the live replica roster (after this replica's newest stored block) knows them: their
 * URLs, and which key a peer message must be signed with: the key its sender holds in the epoch that judges the
 * message, from the replica roster after this replica's newest stored block. A message with a view
 * belongs to that view's epoch (views are numbered per epoch); a CHECKPOINT to the epoch that orders
 * its sequence (the boundary checkpoint is the old set's); a FORWARD, which carries no view, to the
 * newest epoch or the one before it. A sender that is not a member of that epoch (removed, not yet
 * added, or an epoch this replica has not executed to) has no key: its message counts for nothing.
 * After a rotation, the old key is refused for every message of the new epoch.
 */
public final class ReplicaDirectory {
    private final Supplier<ReplicaRoster> roster;

    public ReplicaDirectory(Supplier<ReplicaRoster> roster) {
        this.roster = Objects.requireNonNull(roster, "roster");
    }

    /** The membership file's replicas only, for a chain that never changes its replica set (tests, tools). */
    public static ReplicaDirectory genesis(Membership membership) {
        ReplicaRoster genesis = ReplicaRoster.genesis(membership, ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL);
        return new ReplicaDirectory(() -> genesis);
    }

    /** The key the sender of {@code m} holds in the epoch that judges {@code m}, or empty for a non-member. */
    public Optional<Ed25519.PublicKey> keyOf(PbftMessage m) {
        ReplicaRoster r = roster.get();
        int sender = m.replica();
        if (m instanceof Checkpoint c) {
            return key(r.ordering(c.sequence()), sender);
        }
        if (m instanceof Forward) {
            Optional<Ed25519.PublicKey> latest = key(r.latest(), sender);
            return latest.isPresent() || r.epochs().size() < 2 ? latest
                    : key(r.epochs().get(r.epochs().size() - 2), sender);
        }
        return r.epochOfView(viewOf(m)).flatMap(e -> key(e, sender));
    }

    /** The roster after this replica's newest stored block. */
    public ReplicaRoster roster() {
        return roster.get();
    }

    private List<ReplicaRoster.Epoch> recent() {
        return roster.get().recent();
    }

    /**
     * The keys {@code replica} holds in the newest epoch or the one before it, newest first: what a
     * peer request's signed headers may be signed with while a change is in progress.
     */
    public List<Ed25519.PublicKey> recentKeys(int replica) {
        List<Ed25519.PublicKey> keys = new ArrayList<>(2);
        List<ReplicaRoster.Epoch> recent = recent();
        for (int i = recent.size() - 1; i >= 0; i--) {
            recent.get(i).member(replica).map(ReplicaRoster.Member::publicKey)
                    .filter(k -> !keys.contains(k)).ifPresent(keys::add);
        }
        return keys;
    }

    /** The size of the largest set of the newest two epochs: what peer limits must be sized for. */
    public int largestRecentSet() {
        return roster().recent().stream().mapToInt(ReplicaRoster.Epoch::n).max().orElse(0);
    }

    /** The replicas of the newest epoch and the one before it, with the newest URL each had there, by id. */
    public SortedMap<Integer, String> recentMembers() {
        SortedMap<Integer, String> out = new TreeMap<>();
        for (ReplicaRoster.Epoch e : recent()) {
            for (ReplicaRoster.Member m : e.members()) {
                out.put(m.id(), m.url());
            }
        }
        return out;
    }

    /** The base URL of {@code replica} in the newest epoch that lists it, if a recent one does. */
    public Optional<String> urlOf(int replica) {
        return Optional.ofNullable(recentMembers().get(replica));
    }

    /** Verifies a message's signature with {@link #keyOf}: false for a non-member. */
    public SenderVerifier verifier() {
        return (m, bytes, signature) -> keyOf(m).map(k -> k.verify(bytes, signature)).orElse(false);
    }

    private static Optional<Ed25519.PublicKey> key(ReplicaRoster.Epoch epoch, int sender) {
        return epoch.member(sender).map(ReplicaRoster.Member::publicKey);
    }

    private static long viewOf(PbftMessage m) {
        if (m instanceof OrderingMessage o) {
            return o.view();
        }
        if (m instanceof ViewChange vc) {
            return vc.newView();
        }
        if (m instanceof NewView nv) {
            return nv.view();
        }
        if (m instanceof Status s) {
            return s.view();
        }
        throw new IllegalArgumentException("no view in " + m.getClass().getSimpleName());
    }
}
