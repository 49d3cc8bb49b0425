package io.pbftledger.pbft.message;

/**
 * The certificate sizes of a set of {@code n} replicas, n ≥ 4, of which at most
 * f = ⌊(n−1)/3⌋ are faulty.
 *
 * <ul>
 *   <li>{@link #quorum()} = ⌈(n+f+1)/2⌉: any two quorums share at least f+1 replicas, so at least one
 *       correct replica, and n−f correct replicas can always form one. When n = 3f+1 it is the paper's
 *       2f+1. Every prepare, commit, checkpoint and view-change certificate is a quorum.</li>
 *   <li>{@link #prepares()} = quorum − 1: the PREPAREs that, with the primary's PRE-PREPARE, make a
 *       slot prepared (the paper's 2f).</li>
 *   <li>{@link #weak()} = f+1: enough to contain one correct replica (joining a higher view, trusting a
 *       checkpoint or a reply).</li>
 * </ul>
 * One value for every count, so no rule computes its own.
 */
public record Quorums(int n) {

    /** The smallest replica set that tolerates a fault. */
    public static final int MIN_REPLICAS = 4;

    public Quorums {
        if (n < MIN_REPLICAS) {
            throw new IllegalArgumentException("a replica set needs at least " + MIN_REPLICAS + " replicas, got " + n);
        }
    }

    /** The number of faulty replicas tolerated. */
    public int f() {
        return (n - 1) / 3;
    }

    /** ⌈(n+f+1)/2⌉: the size of every prepare/commit/checkpoint/view-change certificate. */
    public int quorum() {
        return (n + f() + 2) / 2;
    }

    /** quorum − 1: the PREPAREs (from replicas other than the primary) that prepare a slot. */
    public int prepares() {
        return quorum() - 1;
    }

    /** f+1: at least one correct replica among them. */
    public int weak() {
        return f() + 1;
    }
}
