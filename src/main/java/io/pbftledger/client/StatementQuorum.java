package io.pbftledger.client;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.pbft.message.Digest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Asks every replica of the newest proven set for its signed statement of a committed transaction ({@code GET
 * /api/v1/transactions/{txId}}) and settles a location and outcome only when f+1 distinct replicas
 * signed the same (txId, height, block hash, outcome): at least one of them is honest. A commit
 * certificate proves the ordering only, so a proof from one replica cannot settle them.
 */
final class StatementQuorum {
    private final Membership membership;
    private final Supplier<ReplicaSets> sets;
    private final ReplicaHttp http;
    private final ProofVerifier verifier;

    StatementQuorum(Membership membership, Supplier<ReplicaSets> sets, ReplicaHttp http, ProofVerifier verifier) {
        this.membership = membership;
        this.sets = sets;
        this.http = http;
        this.verifier = verifier;
    }

    /**
     * The replicas, ascending, whose valid signed statements match {@code claimed} once f+1 do;
     * {@code signedBy} already signed it (null: none). Throws a {@link VerificationException} naming
     * what the replicas signed when f+1 cannot be reached within {@code timeout}.
     */
    List<Integer> confirm(Digest txId, SignedConfirmation.Location claimed, Integer signedBy, Duration timeout) {
        TreeSet<Integer> matching = new TreeSet<>();
        if (signedBy != null) {
            matching.add(signedBy);
        }
        ReplicaSets known = sets.get();
        int needed = known.f() + 1;
        if (matching.size() >= needed) {
            return List.copyOf(matching);
        }
        record Answer(int replica, ReplicaHttp.Reply reply, Throwable error) {
        }
        BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        List<CompletableFuture<ReplicaHttp.Reply>> asked = new ArrayList<>();
        for (ReplicaRoster.Member replica : known.current().members()) {
            if (signedBy == null || replica.id() != signedBy) {
                CompletableFuture<ReplicaHttp.Reply> reply =
                        http.get(Target.of(replica).uri("/api/v1/transactions/" + txId.hex()), timeout);
                reply.whenComplete((r, error) -> answers.add(new Answer(replica.id(), r, error)));
                asked.add(reply);
            }
        }
        Map<String, String> others = new TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int received = 0; received < asked.size(); received++) {
                Answer answer = answers.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (answer == null) {
                    break; // the rest did not answer in time
                }
                String problem = answer.error() != null ? ReplicaHttp.describe(answer.error())
                        : statementProblem(answer.reply(), txId, claimed, matching);
                if (problem != null) {
                    others.put("replica " + answer.replica(), problem);
                }
                if (matching.size() >= needed) {
                    return List.copyOf(matching);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerClientException("interrupted", e);
        } finally {
            asked.forEach(f -> f.cancel(true));
        }
        throw new VerificationException("height " + claimed.height() + ", block hash " + claimed.blockHash().hex()
                + " and outcome " + OutcomeJson.describe(claimed.refusal()) + " are signed by " + matching.size()
                + " of the " + needed + " replicas needed (replicas " + matching + ")"
                + (others.isEmpty() ? "" : "; the others: " + others));
    }

    /** Null when {@code reply} is a valid signed statement of {@code claimed} (its replica is added), else why not. */
    private String statementProblem(ReplicaHttp.Reply reply, Digest txId, SignedConfirmation.Location claimed,
                                    TreeSet<Integer> matching) {
        if (!reply.ok() || !reply.body().hasNonNull("status") || !"COMMITTED".equals(reply.body().get("status").asString())) {
            return reply.ok() ? "not committed there" : reply.problem();
        }
        try {
            SignedConfirmation c = SignedConfirmation.of(reply.body(), reply.text(), txId, membership, verifier);
            if (!c.location().equals(claimed)) {
                return "signed height " + c.height() + ", block hash " + c.blockHash().hex() + ", outcome "
                        + OutcomeJson.describe(c.refusal());
            }
            matching.add(c.replica());
            return null;
        } catch (VerificationException e) {
            return e.getMessage();
        }
    }
}
