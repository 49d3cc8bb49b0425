package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One vote per replica for one slot (prepares, commits or checkpoints of one sequence). The first
 * vote of a replica wins: a correct replica never votes twice differently, so a second, different
 * vote proves the sender faulty and is dropped. Counting is O(n) over at most n entries.
 */
final class VoteSet<T extends PbftMessage> {
    enum AddResult { ADDED, DUPLICATE, CONFLICT }

    private final TreeMap<Integer, Signed<T>> votes = new TreeMap<>();
    private final Function<T, Digest> digestOf;

    VoteSet(Function<T, Digest> digestOf) {
        this.digestOf = digestOf;
    }

    AddResult add(Signed<T> vote) {
        Signed<T> previous = votes.putIfAbsent(vote.message().replica(), vote);
        if (previous == null) {
            return AddResult.ADDED;
        }
        return digestOf.apply(previous.message()).equals(digestOf.apply(vote.message()))
                ? AddResult.DUPLICATE : AddResult.CONFLICT;
    }

    int count(Digest digest) {
        int count = 0;
        for (Signed<T> vote : votes.values()) {
            if (digestOf.apply(vote.message()).equals(digest)) {
                count++;
            }
        }
        return count;
    }

    /** The digest with at least {@code threshold} votes, or null. */
    Digest digestWith(int threshold) {
        Map<Digest, Integer> counts = new TreeMap<>();
        for (Signed<T> vote : votes.values()) {
            int c = counts.merge(digestOf.apply(vote.message()), 1, Integer::sum);
            if (c >= threshold) {
                return digestOf.apply(vote.message());
            }
        }
        return null;
    }

    /**
     * Exactly {@code size} votes for {@code digest}, sorted by replica id, chosen deterministically:
     * the preferred replica's (this replica's own) first, then the lowest ids.
     */
    List<Signed<T>> select(Digest digest, int size, int preferred) {
        List<Signed<T>> chosen = new ArrayList<>(size);
        Signed<T> own = votes.get(preferred);
        if (own != null && digestOf.apply(own.message()).equals(digest)) {
            chosen.add(own);
        }
        for (Signed<T> vote : votes.values()) {
            if (chosen.size() == size) {
                break;
            }
            if (vote != own && digestOf.apply(vote.message()).equals(digest)) {
                chosen.add(vote);
            }
        }
        Invariants.check(chosen.size() == size, "not enough matching votes for a certificate");
        chosen.sort((a, b) -> Integer.compare(a.message().replica(), b.message().replica()));
        return chosen;
    }

    Signed<T> of(int replica) {
        return votes.get(replica);
    }

    Iterable<Map.Entry<Integer, Signed<T>>> entries() {
        return votes.entrySet();
    }

    int size() {
        return votes.size();
    }
}
