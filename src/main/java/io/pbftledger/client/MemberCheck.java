package io.pbftledger.client;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.Role;
import io.pbftledger.crypto.Ed25519;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Decides whether a client identity is a member with its key. The membership file is trusted as
 * written; an identity it does not list with that key (an admin added it later, or rotated its key)
 * is looked up in the replicas' {@code GET /api/v1/membership} answers, and its key is accepted only
 * when f+1 replicas report it, so f lying replicas cannot make the client believe a key. It is
 * refused when f+1 replicas deny it (no such client, another key, or a 403 for this identity) in
 * {@link #DENIAL_ROUNDS} rounds in a row, since a replica that has not executed the adding block yet
 * denies it honestly for a moment.
 */
final class MemberCheck {
    /** Pause between two rounds of questions. */
    static final Duration ROUND_PAUSE = Duration.ofMillis(300);
    /** Rounds in which f+1 replicas must deny the identity before it counts as not a member. */
    static final int DENIAL_ROUNDS = 3;
    /** Shortest time one question gets, even near the deadline. */
    static final Duration REQUEST_MIN = Duration.ofMillis(500);

    private enum Kind { HOLDS_KEY, NO_SUCH_CLIENT, OTHER_KEY, REFUSED, UNUSABLE }

    /** One replica's answer about the identity. */
    private record Report(Kind kind, String detail, List<String> roles) {
        boolean denies() {
            return kind == Kind.NO_SUCH_CLIENT || kind == Kind.OTHER_KEY || kind == Kind.REFUSED;
        }
    }

    private final Membership membership;
    private final Supplier<ReplicaSets> sets;
    private final ReplicaHttp http;

    MemberCheck(Membership membership, Supplier<ReplicaSets> sets, ReplicaHttp http) {
        this.membership = membership;
        this.sets = sets;
        this.http = http;
    }

    ClientStanding check(ClientIdentity identity, Duration timeout) throws InterruptedException {
        Ed25519.PublicKey key = identity.privateKey().publicKey();
        Optional<Membership.Client> listed = membership.client(identity.clientId());
        if (listed.isPresent() && listed.get().publicKey().equals(key)) {
            return new ClientStanding(identity.clientId(), ClientStanding.Source.MEMBERSHIP_FILE,
                    listed.get().roles().stream().map(Role::label).toList(), List.of());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int denyingRounds = 0;
        int f = sets.get().f();
        Map<Integer, Report> reports = new TreeMap<>();
        while (true) {
            ask(identity, key, deadline).forEach((replica, report) -> {
                // a replica that fails now keeps its last real answer
                if (report.kind() != Kind.UNUSABLE || !reports.containsKey(replica)) {
                    reports.put(replica, report);
                }
            });
            List<Integer> holders = replicas(reports, r -> r.kind() == Kind.HOLDS_KEY);
            if (holders.size() >= f + 1) {
                return new ClientStanding(identity.clientId(), ClientStanding.Source.REPLICAS,
                        mostReported(reports, holders), holders);
            }
            List<Integer> deniers = replicas(reports, Report::denies);
            denyingRounds = deniers.size() >= f + 1 ? denyingRounds + 1 : 0;
            boolean late = System.nanoTime() - deadline >= 0;
            if (denyingRounds >= DENIAL_ROUNDS || (late && denyingRounds > 0)) {
                throw notMember(identity, listed.isPresent(), reports, deniers, holders);
            }
            if (late) {
                throw unconfirmed(identity, reports, holders);
            }
            Thread.sleep(Math.min(ROUND_PAUSE.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Every replica's current answer, asked in parallel; failures come back as UNUSABLE reports. */
    private Map<Integer, Report> ask(ClientIdentity identity, Ed25519.PublicKey key, long deadline) {
        long leftNanos = Math.max(REQUEST_MIN.toNanos(), deadline - System.nanoTime());
        Duration perRequest = Duration.ofNanos(Math.min(SubmitRound.READ_TIMEOUT.toNanos(), leftNanos));
        Map<Integer, CompletableFuture<ReplicaHttp.Reply>> answers = new TreeMap<>();
        for (ReplicaRoster.Member replica : sets.get().current().members()) {
            answers.put(replica.id(), http.get(Target.of(replica).uri("/api/v1/membership"), perRequest));
        }
        Map<Integer, Report> reports = new TreeMap<>();
        answers.forEach((replica, answer) -> {
            Report report;
            try {
                report = read(ReplicaHttp.await(answer), identity.clientId(), key);
            } catch (LedgerClientException e) {
                report = new Report(Kind.UNUSABLE, e.getMessage(), List.of());
            }
            reports.put(replica, report);
        });
        return reports;
    }

    private Report read(ReplicaHttp.Reply reply, String clientId, Ed25519.PublicKey key) {
        if (reply.status() == 403) {
            return new Report(Kind.REFUSED, reply.problem(), List.of());
        }
        if (!reply.ok()) {
            return new Report(Kind.UNUSABLE, reply.problem(), List.of());
        }
        try {
            String chainId = JsonFields.text(reply.body(), "chainId");
            if (!chainId.equals(membership.chainId())) {
                return new Report(Kind.UNUSABLE, "it answers for chain " + chainId, List.of());
            }
            for (JsonNode client : JsonFields.array(reply.body(), "clients")) {
                if (clientId.equals(JsonFields.text(client, "id"))) {
                    boolean same = key.toBase64().equals(JsonFields.text(client, "publicKey"));
                    List<String> roles = new ArrayList<>();
                    JsonFields.array(client, "roles").forEach(role -> roles.add(role.asString()));
                    return same ? new Report(Kind.HOLDS_KEY, "", roles)
                            : new Report(Kind.OTHER_KEY, "it lists another key for '" + clientId + "'", List.of());
                }
            }
            return new Report(Kind.NO_SUCH_CLIENT, "it lists no client '" + clientId + "'", List.of());
        } catch (VerificationException e) {
            return new Report(Kind.UNUSABLE, "malformed membership: " + e.getMessage(), List.of());
        }
    }

    /** The roles most holders report (f+1 agree unless a role change is executing); ties go to the lowest replica. */
    private static List<String> mostReported(Map<Integer, Report> reports, List<Integer> holders) {
        Map<List<String>, Integer> votes = new java.util.LinkedHashMap<>();
        holders.forEach(h -> votes.merge(reports.get(h).roles(), 1, Integer::sum));
        List<String> best = List.of();
        int bestVotes = 0;
        for (Map.Entry<List<String>, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    private static List<Integer> replicas(Map<Integer, Report> reports, java.util.function.Predicate<Report> which) {
        return reports.entrySet().stream().filter(e -> which.test(e.getValue())).map(Map.Entry::getKey).toList();
    }

    private NotMemberException notMember(ClientIdentity identity, boolean listedWithOtherKey, Map<Integer, Report> reports,
                                         List<Integer> deniers, List<Integer> holders) {
        Report first = reports.get(deniers.get(0));
        String why = switch (first.kind()) {
            case OTHER_KEY -> "the ledger holds another key for it (rotated?)";
            case REFUSED -> "the replicas refuse it: " + first.detail();
            default -> "revoked, or never added";
        };
        return new NotMemberException("client '" + identity.clientId() + "' is not a member of chain "
                + membership.chainId() + " with this key: replicas " + deniers + " deny it (" + why + ")"
                + (listedWithOtherKey ? "; " + "the membership file lists it with another key" : "")
                + "; " + holders.size() + " of the f+1 = " + (sets.get().f() + 1) + " replicas needed report its key");
    }

    private LedgerClientException unconfirmed(ClientIdentity identity, Map<Integer, Report> reports, List<Integer> holders) {
        StringBuilder message = new StringBuilder("cannot confirm that client '" + identity.clientId()
                + "' is a member: it is not in the membership file with this key, and " + holders.size() + " of the f+1 = "
                + (sets.get().f() + 1) + " replicas needed report its key");
        reports.forEach((replica, report) -> {
            if (report.kind() != Kind.HOLDS_KEY) {
                message.append("; replica ").append(replica).append(": ").append(report.detail());
            }
        });
        return new LedgerClientException(message.toString());
    }
}
