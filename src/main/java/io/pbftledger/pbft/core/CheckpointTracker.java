package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Quorums;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects CHECKPOINT votes above the last stable checkpoint and decides stability (2f+1 matching).
 * Checkpoints above the window are kept because they tell a replica it is behind; each replica
 * gets a quota of sequences (beyond it, its oldest vote that no other vote matches goes first, see
 * {@link #evictable}), and a sequence is kept only while some replica's vote at it is, so whatever
 * sequences a faulty replica claims this holds at most n times the quota sequences.
 * Votes at sequences that are not multiples of the interval are refused: no correct replica sends one.
 */
final class CheckpointTracker {
    enum Result { ADDED, STALE, OFF_INTERVAL, DUPLICATE, CONFLICT }

    /**
     * A checkpoint is stable with a quorum of the set that ordered its sequence, and proven above with
     * f+1 of it (see {@link Epochs#setOrdering}).
     */
    private final Epochs epochs;
    private final long interval;
    private final long window;
    private final int perReplicaQuota;
    private final TreeMap<Long, VoteSet<Checkpoint>> votes = new TreeMap<>();
    private final TreeMap<Integer, TreeSet<Long>> sequencesByReplica = new TreeMap<>();
    /** The highest checkpoint each replica reported: what it is known to have executed. */
    private final TreeMap<Integer, Long> highestByReplica = new TreeMap<>();
    private StableCheckpoint stable;
    /**
     * Every vote this replica holds for the stable checkpoint's digest at its sequence, its proof's
     * included (one per sender): the votes {@link #repairStableProof} chooses a proof from again.
     */
    private VoteSet<Checkpoint> stableVotes;
    private Signed<Checkpoint> ownLatest;
    private long evicted;

    CheckpointTracker(Epochs epochs, long window, long interval, long initialStable) {
        this(epochs, window, interval, new StableCheckpoint(initialStable, Digest.ZERO, List.of()));
    }

    CheckpointTracker(Epochs epochs, long window, long interval, StableCheckpoint initial) {
        this.epochs = epochs;
        Invariants.check(interval > 0, "checkpoint interval must be positive");
        this.interval = interval;
        this.window = window;
        this.perReplicaQuota = (int) (window / interval) + 2;
        this.stable = initial;
        this.stableVotes = votesOf(initial);
    }

    /** A new replica set took over: votes from replicas outside it go. */
    void replicaSet(ReplicaSet set) {
        for (Map.Entry<Long, VoteSet<Checkpoint>> e : votes.entrySet()) {
            VoteSet<Checkpoint> kept = e.getValue();
            for (Map.Entry<Integer, Signed<Checkpoint>> vote : e.getValue().entries()) {
                if (!set.contains(vote.getKey())) {
                    kept = without(kept, vote.getKey());
                }
            }
            e.setValue(kept);
        }
        sequencesByReplica.keySet().removeIf(r -> !set.contains(r));
        highestByReplica.keySet().removeIf(r -> !set.contains(r));
    }

    long stableSequence() {
        return stable.sequence();
    }

    StableCheckpoint stable() {
        return stable;
    }

    Signed<Checkpoint> ownLatest() {
        return ownLatest;
    }

    void recordOwn(Signed<Checkpoint> own) {
        ownLatest = own;
    }

    Result add(Signed<Checkpoint> vote) {
        Checkpoint c = vote.message();
        if (c.sequence() <= stable.sequence()) {
            if (c.sequence() == stable.sequence() && c.stateDigest().equals(stable.stateDigest())) {
                stableVotes.add(vote); // for a proof that the set ordering it, learnt later, refuses
            }
            return Result.STALE;
        }
        if (c.sequence() % interval != 0) {
            return Result.OFF_INTERVAL;
        }
        VoteSet<Checkpoint> set = votes.computeIfAbsent(c.sequence(), s -> new VoteSet<>(Checkpoint::stateDigest));
        VoteSet.AddResult r = set.add(vote);
        if (r == VoteSet.AddResult.DUPLICATE) {
            return Result.DUPLICATE;
        }
        if (r == VoteSet.AddResult.CONFLICT) {
            return Result.CONFLICT;
        }
        enforceQuota(c.replica(), c.sequence());
        highestByReplica.merge(c.replica(), c.sequence(), Math::max);
        return Result.ADDED;
    }

    private void enforceQuota(int replica, long sequence) {
        TreeSet<Long> mine = sequencesByReplica.computeIfAbsent(replica, r -> new TreeSet<>());
        mine.add(sequence);
        if (mine.size() > perReplicaQuota) {
            long oldest = evictable(replica, mine);
            mine.remove(oldest);
            VoteSet<Checkpoint> set = votes.get(oldest);
            if (set != null) {
                VoteSet<Checkpoint> rest = without(set, replica);
                if (rest.size() == 0) {
                    votes.remove(oldest); // no vote left: the sequence itself is forgotten
                } else {
                    votes.put(oldest, rest);
                }
            }
            evicted++;
        }
    }

    /**
     * Which of a sender's votes goes when it is over its quota: its oldest vote that no other vote
     * matches (a state digest nobody else reported, such as a flooding replica makes up), else its
     * oldest above the high watermark (a correct replica's newest checkpoints matter most), else its
     * oldest. A vote that another one matches may be what makes a checkpoint stable here: a flooding
     * replica's honest vote in the proof the others send a replica that is behind, or at a checkpoint
     * this replica signed itself. Evicting it as the sender's oldest, before it was counted, kept such
     * a replica behind for good; evicting an unmatched vote first also clears the way for the
     * sender's honest vote at that sequence when it comes again.
     */
    private long evictable(int replica, TreeSet<Long> mine) {
        for (long s : mine) {
            VoteSet<Checkpoint> set = votes.get(s);
            Signed<Checkpoint> vote = set == null ? null : set.of(replica);
            if (vote == null || set.count(vote.message().stateDigest()) < 2) {
                return s;
            }
        }
        Long aboveWindow = mine.higher(stable.sequence() + window);
        return aboveWindow != null ? aboveWindow : mine.first();
    }

    private static VoteSet<Checkpoint> without(VoteSet<Checkpoint> set, int replica) {
        VoteSet<Checkpoint> copy = new VoteSet<>(Checkpoint::stateDigest);
        for (Map.Entry<Integer, Signed<Checkpoint>> e : set.entries()) {
            if (e.getKey() != replica) {
                copy.add(e.getValue());
            }
        }
        return copy;
    }

    /** The highest checkpoint {@code replica} reported (0 if none): it executed everything up to it. */
    long highestOf(int replica) {
        return highestByReplica.getOrDefault(replica, 0L);
    }

    /** A sequence every member reported a checkpoint at or above (0 if unknown). */
    long executedByAll(ReplicaSet replicas) {
        long min = Long.MAX_VALUE;
        for (int r : replicas.members()) {
            Long s = highestByReplica.get(r);
            if (s == null) {
                return 0;
            }
            min = Math.min(min, s);
        }
        return min;
    }

    private Quorums quorumsAt(long sequence) {
        return setAt(sequence).quorums();
    }

    long evicted() {
        return evicted;
    }

    /** The highest checkpoint above the stable one that 2f+1 replicas agree on, if any. */
    StableCheckpoint newlyStable(int self) {
        for (Map.Entry<Long, VoteSet<Checkpoint>> e : votes.descendingMap().entrySet()) {
            ReplicaSet set = setAt(e.getKey());
            int quorum = set.quorums().quorum();
            // Only the votes of the set that orders the sequence, as this replica knows it now: a replica
            // outside the set (about to join) counted votes before it executed the change that made it,
            // and a proof holding a non-member's vote would make its VIEW-CHANGE invalid everywhere.
            VoteSet<Checkpoint> members = onlyMembers(e.getValue(), set);
            Digest d = members.digestWith(quorum);
            if (d != null) {
                return new StableCheckpoint(e.getKey(), d, members.select(d, quorum, self));
            }
        }
        return null;
    }

    private ReplicaSet setAt(long sequence) {
        ReplicaSet set = epochs.setOrdering(sequence);
        return set != null ? set : epochs.current();
    }

    private static VoteSet<Checkpoint> onlyMembers(VoteSet<Checkpoint> votes, ReplicaSet set) {
        VoteSet<Checkpoint> copy = new VoteSet<>(Checkpoint::stateDigest);
        for (Map.Entry<Integer, Signed<Checkpoint>> e : votes.entries()) {
            if (set.contains(e.getKey())) {
                copy.add(e.getValue());
            }
        }
        return copy;
    }

    /**
     * The stable checkpoint's proof was chosen as a quorum of the set this replica then knew to order
     * its sequence. A replica behind (or about to join) counts votes for a checkpoint above what it
     * executed, and the changes executed in between, which it learns only as it executes them
     * ({@link Epochs#schedule}), may make another set order that sequence: a larger one (whose quorum
     * the proof is too short for) or one without some of its signers. Such a proof makes every
     * VIEW-CHANGE of this replica invalid at every replica that knows the set (ProofChecker), for
     * good: its stable checkpoint no longer moves while the view change stalls, and with it in the
     * quorum the others could not change view (simulator, REKEY seeds 700499 and 700538: two groups
     * in the first view change of an epoch, neither a quorum, the smaller one refused everywhere).
     * So when the proof is not a quorum of the set now known to order the sequence, it is chosen
     * again from the matching votes held, the ones that arrive later included (the others re-send
     * their latest checkpoint while quiet). True if the proof changed.
     */
    boolean repairStableProof(int self) {
        ReplicaSet set = stable.sequence() == 0 ? null : epochs.setOrdering(stable.sequence());
        if (set == null || proves(stable.proof(), set)) {
            return false;
        }
        VoteSet<Checkpoint> members = onlyMembers(stableVotes, set);
        int quorum = set.quorums().quorum();
        if (members.count(stable.stateDigest()) < quorum) {
            return false;
        }
        stable = new StableCheckpoint(stable.sequence(), stable.stateDigest(),
                members.select(stable.stateDigest(), quorum, self));
        return true;
    }

    /** A quorum of distinct members of {@code set} (the votes' digests match by construction). */
    private static boolean proves(List<Signed<Checkpoint>> proof, ReplicaSet set) {
        if (proof.size() < set.quorums().quorum() || proof.size() > set.n()) {
            return false;
        }
        TreeSet<Integer> signers = new TreeSet<>();
        for (Signed<Checkpoint> vote : proof) {
            if (!set.contains(vote.message().replica()) || !signers.add(vote.message().replica())) {
                return false;
            }
        }
        return true;
    }

    private static VoteSet<Checkpoint> votesOf(StableCheckpoint checkpoint) {
        VoteSet<Checkpoint> votes = new VoteSet<>(Checkpoint::stateDigest);
        checkpoint.proof().forEach(votes::add);
        return votes;
    }

    /** Makes {@code checkpoint} the stable one and forgets every vote at or below it. */
    void makeStable(StableCheckpoint checkpoint) {
        Invariants.check(checkpoint.sequence() > stable.sequence(), "stable checkpoint must advance");
        stable = checkpoint;
        stableVotes = votesOf(checkpoint);
        VoteSet<Checkpoint> at = votes.get(checkpoint.sequence());
        if (at != null) {
            for (Map.Entry<Integer, Signed<Checkpoint>> e : at.entries()) {
                if (e.getValue().message().stateDigest().equals(checkpoint.stateDigest())) {
                    stableVotes.add(e.getValue());
                }
            }
        }
        votes.headMap(checkpoint.sequence(), true).clear();
        for (TreeSet<Long> mine : sequencesByReplica.values()) {
            mine.headSet(checkpoint.sequence(), true).clear();
        }
        if (ownLatest != null && ownLatest.message().sequence() < checkpoint.sequence()) {
            ownLatest = null;
        }
    }

    /**
     * The highest sequence above {@code executed} that f+1 replicas (so at least one correct one)
     * report with the same state digest: proof this replica is behind.
     */
    OptionalLong provenAbove(long executed) {
        long best = stable.sequence() > executed ? stable.sequence() : -1;
        for (Map.Entry<Long, VoteSet<Checkpoint>> e : votes.descendingMap().entrySet()) {
            if (e.getKey() <= Math.max(executed, best)) {
                break;
            }
            if (e.getValue().digestWith(quorumsAt(e.getKey()).weak()) != null) {
                best = e.getKey();
                break;
            }
        }
        return best > executed ? OptionalLong.of(best) : OptionalLong.empty();
    }

    /** Sequences holding at least one vote: at most n times the per-replica quota. */
    int retainedSequences() {
        return votes.size();
    }

    int retainedMessages() {
        int total = stable.proof().size();
        for (VoteSet<Checkpoint> set : votes.values()) {
            total += set.size();
        }
        return total;
    }
}
