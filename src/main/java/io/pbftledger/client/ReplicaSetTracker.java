package io.pbftledger.client;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The client's one holder of the replica sets it knows ({@link ReplicaSets}), refreshed from the
 * replicas' {@code GET /api/v1/membership/history}. A refresh asks the chosen node and every member
 * of the newest known set, and keeps every epoch any answer proves: the proofs need no trust in the
 * answering replica, so one honest replica that is up to date suffices, and a replica that withholds
 * the newest changes (to keep a removed replica's or an old key's statements counting) is outvoted
 * by the first one that shows them. Sets only grow; a refresh that reaches nobody keeps what is known.
 * Thread-safe.
 */
final class ReplicaSetTracker {
    /** How old the known sets may be before an operation asks again. */
    static final Duration MAX_AGE = Duration.ofSeconds(10);
    /** Rounds of one refresh: a round that proves new members asks them too. */
    private static final int ROUNDS_MAX = 3;

    private final AtomicReference<ReplicaSets> known;
    private final ReplicaHttp http;
    private final Target node;
    private final LongSupplier nanoClock;
    private volatile long refreshedAtNanos;
    private volatile boolean refreshed;

    ReplicaSetTracker(Membership membership, ReplicaHttp http, Target node, LongSupplier nanoClock) {
        this.known = new AtomicReference<>(ReplicaSets.genesis(membership));
        this.http = http;
        this.node = node;
        this.nanoClock = nanoClock;
    }

    ReplicaSets current() {
        return known.get();
    }

    /** Refreshes when the sets were never asked for or are older than {@link #MAX_AGE}. */
    ReplicaSets currentAtMost(Duration maxAge) {
        if (!refreshed || nanoClock.getAsLong() - refreshedAtNanos > maxAge.toNanos()) {
            refresh(SubmitRound.READ_TIMEOUT);
        }
        return known.get();
    }

    /**
     * Asks the node and the newest known set's members, and keeps every further epoch proven.
     * Returns whether a new epoch was learnt. Answers that do not verify are ignored.
     */
    boolean refresh(Duration timeout) {
        ReplicaSets before = known.get();
        List<String> asked = new ArrayList<>();
        for (int round = 0; round < ROUNDS_MAX; round++) {
            Map<String, CompletableFuture<ReplicaHttp.Reply>> answers = new LinkedHashMap<>();
            for (Target target : Target.all(node, known.get().current().members())) {
                if (!asked.contains(target.baseUrl())) {
                    asked.add(target.baseUrl());
                    answers.put(target.baseUrl(), http.get(target.uri("/api/v1/membership/history"), timeout));
                }
            }
            if (answers.isEmpty()) {
                break;
            }
            ReplicaRoster.Epoch newestBefore = known.get().current();
            for (CompletableFuture<ReplicaHttp.Reply> answer : answers.values()) {
                try {
                    ReplicaHttp.Reply reply = ReplicaHttp.await(answer);
                    if (reply.ok()) {
                        known.updateAndGet(sets -> sets.extend(reply.body()));
                    }
                } catch (RuntimeException e) {
                    // unreachable, not a history, or one that does not verify: the others may do. Whatever
                    // a replica answers, it must not stop the client from asking the rest.
                }
            }
            if (known.get().current().number() == newestBefore.number()) {
                break;
            }
        }
        refreshedAtNanos = nanoClock.getAsLong();
        refreshed = true;
        return known.get() != before;
    }
}
