package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Quorums;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The replica sets of a chain, epoch by epoch: the genesis set of the membership file (epoch 0) and
 * one more epoch for each executed {@link ReplicaOp}. Immutable; {@link #apply} makes the next one.
 * It is a function of the genesis membership, the checkpoint interval K and the executed blocks, so
 * every replica and every verifier that knows the chain derives the same one, and the block hashes
 * (which chain each replica-set transaction) and the signing domain (which covers the genesis set)
 * cover it.
 *
 * <p>The rule (docs/design.md, "Changing the set: epochs"): a change executed in the block at
 * sequence s ends its epoch at the first checkpoint sequence c ≥ s, its <em>boundary</em>; the
 * checkpoint at c is the last the old set signs, and the new set orders from c+1, in the views
 * e·{@link #VIEWS_PER_EPOCH} and up. A change executed at or below the previous change's boundary is
 * refused (one change at a time), so epochs never overlap and each is at least one sequence long.
 */
public final class ReplicaRoster {
    /** The checkpoint interval of fixtures and of the default configuration. */
    public static final long DEFAULT_CHECKPOINT_INTERVAL = 100;
    /** Views of one epoch: epoch e's first view is e times this (the consensus core's numbering). */
    public static final long VIEWS_PER_EPOCH = 1_000_000_000L;
    /**
     * Most replicas one set may hold, and one more than the highest replica id: ids are 0..99. An id
     * that a removal freed may be added again, always with a key no replica ever held.
     */
    public static final int REPLICAS_MAX = 100;

    /** A member: since which epoch, and since the block of which height (0: the membership file). */
    public record Member(int id, String url, Ed25519.PublicKey publicKey, long sinceEpoch, long sinceHeight) {
    }

    /** One epoch: its number, the first sequence its set orders, and its members by id. */
    public record Epoch(long number, long firstSequence, List<Member> members) {
        public Epoch {
            members = List.copyOf(members);
        }

        public int n() {
            return members.size();
        }

        public Quorums quorums() {
            return new Quorums(members.size());
        }

        public Optional<Member> member(int id) {
            for (Member m : members) {
                if (m.id() == id) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }

        public List<Integer> ids() {
            return members.stream().map(Member::id).toList();
        }

        /** The first view of this epoch. */
        public long firstView() {
            return number * VIEWS_PER_EPOCH;
        }
    }

    /**
     * An executed change: the transaction at {@code index} of block {@code height} (sequence
     * {@code sequence}) started epoch {@code epoch}, whose first sequence is {@code boundary} + 1.
     */
    public record Change(long epoch, long height, long sequence, int index, Digest txId, ReplicaOp op, long boundary) {
    }

    private final long checkpointInterval;
    private final List<Epoch> epochs;
    private final List<Change> changes;

    private ReplicaRoster(long checkpointInterval, List<Epoch> epochs, List<Change> changes) {
        this.checkpointInterval = checkpointInterval;
        this.epochs = List.copyOf(epochs);
        this.changes = List.copyOf(changes);
    }

    /** The membership file's replicas: epoch 0, ordering from sequence 1. */
    public static ReplicaRoster genesis(Membership membership, long checkpointInterval) {
        if (checkpointInterval <= 0) {
            throw new IllegalArgumentException("the checkpoint interval must be positive, got " + checkpointInterval);
        }
        List<Member> members = new ArrayList<>();
        for (Membership.Replica r : membership.replicas()) {
            members.add(new Member(r.id(), r.url(), r.publicKey(), 0, 0));
        }
        return new ReplicaRoster(checkpointInterval, List.of(new Epoch(0, 1, members)), List.of());
    }

    /**
     * The epochs a verifier learnt from their proofs (each the previous set's boundary checkpoint,
     * whose digest covers the next set) rather than by executing blocks: enough to judge certificates
     * ({@link #ordering}, {@link #epochOfView}), but it knows no {@link #changes()} and cannot
     * {@link #apply} any.
     */
    public static ReplicaRoster proven(long checkpointInterval, List<Epoch> epochs) {
        if (epochs.isEmpty() || epochs.get(0).number() != 0 || epochs.get(0).firstSequence() != 1) {
            throw new IllegalArgumentException("a roster starts with epoch 0 ordering from sequence 1");
        }
        for (int i = 1; i < epochs.size(); i++) {
            if (epochs.get(i).number() != i || epochs.get(i).firstSequence() <= epochs.get(i - 1).firstSequence()) {
                throw new IllegalArgumentException("epochs are numbered 0, 1, 2, ... with rising first sequences");
            }
        }
        return new ReplicaRoster(checkpointInterval, epochs, List.of());
    }

    public long checkpointInterval() {
        return checkpointInterval;
    }

    /** Every epoch known from the executed blocks, oldest first; the newest may not be in force yet. */
    public List<Epoch> epochs() {
        return epochs;
    }

    /** Every executed change, in order; change i started epoch i+1. */
    public List<Change> changes() {
        return changes;
    }

    /** The newest epoch the executed blocks made (in force once the sequence passed its boundary). */
    public Epoch latest() {
        return epochs.get(epochs.size() - 1);
    }

    /**
     * The newest epoch and the one before it (one epoch on a chain that never changed its set): the
     * sets a change in progress moves between, whose members may talk to each other.
     */
    public List<Epoch> recent() {
        return epochs.subList(Math.max(0, epochs.size() - 2), epochs.size());
    }

    /** Whether {@code replica} is a member of a {@link #recent} epoch. */
    public boolean recentlyMember(int replica) {
        return recent().stream().anyMatch(e -> e.member(replica).isPresent());
    }

    /** Epoch {@code number}, if the executed blocks made it. */
    public Optional<Epoch> epoch(long number) {
        return number >= 0 && number < epochs.size() ? Optional.of(epochs.get((int) number)) : Optional.empty();
    }

    /** The epoch whose set judges messages of {@code view}, if known. */
    public Optional<Epoch> epochOfView(long view) {
        return view < 0 ? Optional.empty() : epoch(view / VIEWS_PER_EPOCH);
    }

    /**
     * The epoch whose set orders {@code sequence} as far as the executed blocks tell: the newest epoch
     * whose first sequence is at or below it.
     */
    public Epoch ordering(long sequence) {
        Epoch found = epochs.get(0);
        for (Epoch e : epochs) {
            if (e.firstSequence() <= sequence) {
                found = e;
            }
        }
        return found;
    }

    /** The epoch in force once every sequence up to {@code executedSequence} is executed. */
    public Epoch inForce(long executedSequence) {
        return ordering(executedSequence + 1);
    }

    /** The last checkpoint sequence of the epoch a change executed at {@code sequence} ends. */
    public long boundaryOf(long sequence) {
        return ((sequence + checkpointInterval - 1) / checkpointInterval) * checkpointInterval;
    }

    /**
     * The change not yet in force once every sequence up to {@code executedSequence} is executed: one
     * whose boundary is above it. A change ordered next lands above {@code executedSequence}, so it is
     * refused exactly when this is present.
     */
    public Optional<Change> pending(long executedSequence) {
        if (changes.isEmpty()) {
            return Optional.empty();
        }
        Change last = changes.get(changes.size() - 1);
        return last.boundary() > executedSequence ? Optional.of(last) : Optional.empty();
    }

    /** The change made by the transaction at {@code index} of block {@code height}, if it made one. */
    public Optional<Change> changeAt(long height, int index) {
        for (Change c : changes) {
            if (c.height() == height && c.index() == index) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The changes executed in block {@code height}. */
    public List<Change> changesInBlock(long height) {
        return changes.stream().filter(c -> c.height() == height).toList();
    }

    /** The roster as it was after block {@code height}: the changes of later blocks left out. */
    public ReplicaRoster atHeight(long height) {
        int kept = 0;
        while (kept < changes.size() && changes.get(kept).height() <= height) {
            kept++;
        }
        return kept == changes.size() ? this
                : new ReplicaRoster(checkpointInterval, epochs.subList(0, kept + 1), changes.subList(0, kept));
    }

    /**
     * The roster after {@code op}, the transaction at {@code index} of the block at {@code height} and
     * {@code sequence}; throws a {@link LedgerException} (INVALID) naming why it cannot apply.
     */
    public ReplicaRoster apply(ReplicaOp op, long height, long sequence, int index, Digest txId) {
        if (changes.size() != epochs.size() - 1) {
            throw new IllegalStateException("a roster proven without its changes cannot apply one");
        }
        // Ordered at this sequence, it comes after every sequence below it was executed.
        Optional<Change> pending = pending(sequence - 1);
        if (pending.isPresent()) {
            throw LedgerException.invalid("a replica-set change is pending: the one executed at sequence "
                    + pending.get().sequence() + " takes effect after checkpoint " + pending.get().boundary()
                    + "; submit the next change once it did");
        }
        if (!changes.isEmpty() && sequence <= changes.get(changes.size() - 1).sequence()) {
            throw new IllegalArgumentException("sequence " + sequence + " is not above the last change's");
        }
        Epoch now = latest();
        SortedMap<Integer, Member> next = new TreeMap<>();
        for (Member m : now.members()) {
            next.put(m.id(), m);
        }
        long epoch = now.number() + 1;
        Member existing = next.get(op.replicaId());
        if (op instanceof ReplicaOp.Add add) {
            if (existing != null) {
                throw LedgerException.invalid("replica " + add.replicaId() + " is already a member; give it a new key "
                        + "with rotate-key or a new URL with set-url, or pick another id");
            }
            if (next.size() >= REPLICAS_MAX) {
                throw LedgerException.invalid("the replica set already holds the most replicas, " + REPLICAS_MAX);
            }
            requireFreshKey(add.publicKey());
            requireFreeUrl(now, add.url());
            next.put(add.replicaId(), new Member(add.replicaId(), add.url(), add.publicKey(), epoch, height));
        } else if (op instanceof ReplicaOp.Remove remove) {
            requireMember(existing, remove.replicaId());
            if (next.size() - 1 < Quorums.MIN_REPLICAS) {
                throw LedgerException.invalid("removing replica " + remove.replicaId() + " would leave "
                        + (next.size() - 1) + " replicas; at least " + Quorums.MIN_REPLICAS + " are needed");
            }
            next.remove(remove.replicaId());
        } else if (op instanceof ReplicaOp.RotateKey rotate) {
            requireMember(existing, rotate.replicaId());
            requireFreshKey(rotate.publicKey());
            next.put(rotate.replicaId(), new Member(existing.id(), existing.url(), rotate.publicKey(),
                    existing.sinceEpoch(), existing.sinceHeight()));
        } else if (op instanceof ReplicaOp.SetUrl setUrl) {
            requireMember(existing, setUrl.replicaId());
            requireFreeUrl(now, setUrl.url());
            next.put(setUrl.replicaId(), new Member(existing.id(), setUrl.url(), existing.publicKey(),
                    existing.sinceEpoch(), existing.sinceHeight()));
        }
        long boundary = boundaryOf(sequence);
        List<Epoch> epochsAfter = new ArrayList<>(epochs);
        epochsAfter.add(new Epoch(epoch, boundary + 1, new ArrayList<>(next.values())));
        List<Change> changesAfter = new ArrayList<>(changes);
        changesAfter.add(new Change(epoch, height, sequence, index, txId, op, boundary));
        return new ReplicaRoster(checkpointInterval, epochsAfter, changesAfter);
    }

    /** A key any replica ever held is never given again: an old key may have leaked. */
    private void requireFreshKey(Ed25519.PublicKey key) {
        for (Epoch e : epochs) {
            for (Member m : e.members()) {
                if (m.publicKey().equals(key)) {
                    throw LedgerException.invalid("publicKey is " + (e == latest() ? "" : "was ")
                            + "the key of replica " + m.id() + "; every replica key must be new");
                }
            }
        }
    }

    private static void requireFreeUrl(Epoch now, String url) {
        for (Member m : now.members()) {
            if (m.url().equals(url)) {
                throw LedgerException.invalid("url " + url + " is already replica " + m.id() + "'s");
            }
        }
    }

    private static void requireMember(Member existing, int id) {
        if (existing == null) {
            throw LedgerException.invalid("replica " + id + " is not a member");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaRoster other && checkpointInterval == other.checkpointInterval
                && epochs.equals(other.epochs) && changes.equals(other.changes);
    }

    @Override
    public int hashCode() {
        return changes.hashCode();
    }

    @Override
    public String toString() {
        return "ReplicaRoster[" + epochs.size() + " epochs, latest " + latest().ids() + " from sequence "
                + latest().firstSequence() + "]";
    }
}
