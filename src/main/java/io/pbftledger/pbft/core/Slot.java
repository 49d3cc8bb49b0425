package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Quorums;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;

/**
 * The state of one sequence number in one view: the accepted pre-prepare, the prepares and commits
 * (kept even when they arrive before the pre-prepare), and how far the three phases got.
 */
final class Slot {
    private final long sequence;
    private final long view;
    private final VoteSet<Prepare> prepares = new VoteSet<>(Prepare::batchDigest);
    private final VoteSet<Commit> commits = new VoteSet<>(Commit::batchDigest);
    private Signed<PrePrepare> prePrepare;
    private boolean commitSent;
    private boolean committed;
    private boolean delivered;
    /** When the pre-prepare was accepted here, for {@link RetransmitTimeout}; -1 when it gives no sample. */
    private long timedFromMs = -1;
    /** When 2f+1 matching commits from others were first here; -1 before. */
    private long commitQuorumSinceMs = -1;

    Slot(long sequence, long view) {
        this.sequence = sequence;
        this.view = view;
    }

    long sequence() {
        return sequence;
    }

    long view() {
        return view;
    }

    VoteSet<Prepare> prepares() {
        return prepares;
    }

    VoteSet<Commit> commits() {
        return commits;
    }

    Signed<PrePrepare> prePrepare() {
        return prePrepare;
    }

    /** The pre-prepare's transactions are not all here (a NEW-VIEW reference): it cannot be delivered from this log. */
    boolean bodiesMissing() {
        return prePrepare != null && !prePrepare.message().hasBodies();
    }

    Digest digest() {
        return prePrepare == null ? null : prePrepare.message().batchDigest();
    }

    void accept(Signed<PrePrepare> pp) {
        Invariants.check(prePrepare == null, "slot " + sequence + " already has a pre-prepare");
        Invariants.check(pp.message().sequence() == sequence && pp.message().view() == view,
                "pre-prepare does not belong to slot " + sequence);
        prePrepare = pp;
    }

    /** Accepts the pre-prepare at {@code nowMs}: the time to commit it here is a retransmission sample. */
    void accept(Signed<PrePrepare> pp, long nowMs) {
        accept(pp);
        timedFromMs = nowMs;
    }

    /** This replica sent the slot's messages again: its time to commit says nothing of the round trip. */
    void markResent() {
        timedFromMs = -1;
    }

    /** When the pre-prepare was accepted, or -1 when the slot gives no sample (re-sent, replayed, NEW-VIEW). */
    long timedFromMs() {
        return timedFromMs;
    }

    /** prepared(m, v, n): the pre-prepare plus quorum−1 (2f) matching prepares from distinct backups. */
    boolean isPrepared(Quorums q) {
        return prePrepare != null && prepares.count(digest()) >= q.prepares();
    }

    /** committed-local: prepared plus a quorum (2f+1) of matching commits from distinct replicas. */
    boolean isCommittedLocal(Quorums q) {
        return isPrepared(q) && commits.count(digest()) >= q.quorum();
    }

    /** 2f+1 matching commits from other replicas arrived at {@code nowMs} (the first time counts). */
    void commitQuorumSeen(long nowMs) {
        if (commitQuorumSinceMs < 0) {
            commitQuorumSinceMs = nowMs;
        }
    }

    /** When a commit quorum was first seen here, or -1: the others moved past this sequence then. */
    long commitQuorumSinceMs() {
        return commitQuorumSinceMs;
    }

    boolean commitSent() {
        return commitSent;
    }

    void markCommitSent() {
        commitSent = true;
    }

    boolean committed() {
        return committed;
    }

    void markCommitted() {
        committed = true;
    }

    boolean delivered() {
        return delivered;
    }

    void markDelivered() {
        delivered = true;
    }

    /** Signed messages this slot retains, for the memory bound. */
    int retainedMessages() {
        return (prePrepare == null ? 0 : 1) + prepares.size() + commits.size();
    }
}
