package io.pbftledger.client;

import io.pbftledger.chain.Membership;
import io.pbftledger.pbft.message.Digest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every replica for its signed statement of a committed transaction ({@code GET
 * /api/v1/transactions/{txId}}) and settles a location and outcome only when f+1 distinct replicas
 * signed the same (txId, height, block hash, outcome): at least one of them is honest. A commit
 * certificate proves the ordering only, so a proof from one replica cannot settle them.
 */
final class StatementQuorum {
    private final Membership membership;
    private final ReplicaHttp http;
    private final ProofVerifier verifier;

    StatementQuorum(Membership membership, ReplicaHttp http, ProofVerifier verifier) {
        this.membership = membership;
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
        int needed = membership.f() + 1;
        if (matching.size() >= needed) {
            return List.copyOf(matching);
        }
        Map<Integer, CompletableFuture<ReplicaHttp.Reply>> asked = new TreeMap<>();
        for (Membership.Replica replica : membership.replicas()) {
            if (signedBy == null || replica.id() != signedBy) {
                asked.put(replica.id(), http.get(Target.of(replica).uri("/api/v1/transactions/" + txId.hex()), timeout));
            }
        }
        Map<String, String> others = new TreeMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Map.Entry<Integer, CompletableFuture<ReplicaHttp.Reply>> e : asked.entrySet()) {
                String problem;
                try {
                    ReplicaHttp.Reply reply = awaitUntil(e.getValue(), deadline);
                    problem = reply == null ? "no answer in time" : statementProblem(reply, txId, claimed, matching);
                } catch (ExecutionException failed) {
                    problem = ReplicaHttp.describe(failed.getCause());
                }
                if (problem != null) {
                    others.put("replica " + e.getKey(), problem);
                }
                if (matching.size() >= needed) {
                    return List.copyOf(matching);
                }
            }
        } finally {
            asked.values().forEach(f -> f.cancel(true));
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

    /** The reply, or null when none came before {@code deadline}. */
    private static ReplicaHttp.Reply awaitUntil(CompletableFuture<ReplicaHttp.Reply> future, long deadline)
            throws ExecutionException {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerClientException("interrupted", e);
        } catch (TimeoutException e) {
            return null;
        }
    }
}
