package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Quorums;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The replicas that order a range of sequences: their ids in increasing order (any distinct
 * non-negative ids, not necessarily 0..n−1, so that a replica removed from the set leaves a gap), the
 * certificate sizes for their number ({@link Quorums}), and who is primary in which view: the
 * (v mod n)-th member in id order [4.1, generalised from "p = v mod |R|"].
 */
public record ReplicaSet(List<Integer> members) {

    public ReplicaSet {
        TreeSet<Integer> sorted = new TreeSet<>(members);
        if (sorted.size() != members.size()) {
            throw new IllegalArgumentException("replica ids must be distinct, got " + members);
        }
        if (!sorted.isEmpty() && sorted.first() < 0) {
            throw new IllegalArgumentException("replica ids must not be negative, got " + members);
        }
        members = List.copyOf(sorted);
        new Quorums(members.size()); // at least four
    }

    /** Replicas 0..n−1, as a genesis membership lists them. */
    public static ReplicaSet ofSize(int n) {
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(i);
        }
        return new ReplicaSet(ids);
    }

    public int n() {
        return members.size();
    }

    public Quorums quorums() {
        return new Quorums(members.size());
    }

    public boolean contains(int replica) {
        return members.contains(replica);
    }

    /** The primary of view {@code view}: the (view mod n)-th member in id order. */
    public int primaryOf(long view) {
        return members.get((int) Math.floorMod(view, (long) members.size()));
    }

    /** The member after {@code replica} in id order, wrapping around; {@code replica} need not be a member. */
    public int next(int replica) {
        for (int id : members) {
            if (id > replica) {
                return id;
            }
        }
        return members.get(0);
    }
}
