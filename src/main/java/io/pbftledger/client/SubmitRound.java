package io.pbftledger.client;

import io.pbftledger.chain.Membership;
import io.pbftledger.pbft.message.Digest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One submission as a PBFT client runs it: send to one replica; after {@code resendAfter} (or at once
 * when it fails or refuses) send to every replica; once a replica says COMMITTED, ask the others for
 * their signed confirmations; done only when f+1 distinct replicas signed the same (txId, height, block
 * hash, outcome). After {@code proofAfter} the replicas that said COMMITTED are asked for their proofs:
 * a proof proves the ordering (its commit certificate signs view, sequence and batch digest), not the
 * height, block hash or outcome, which are its replica's word, so a verified proof never ends the round;
 * one of the agreed location is attached to the result, one that fails or contradicts a signed
 * statement of the same block names its replica as not believed.
 * Refused only when f+1 replicas refuse, since one replica's refusal may be a lie.
 *
 * <p>Single-threaded: HTTP answers arrive as events on a queue and timers are kept here, so all state is
 * touched by the caller's thread only.
 */
final class SubmitRound {
    /** How long a replica that failed (unreachable, 5xx, 429) rests before it is asked again. */
    static final Duration RETRY_BACKOFF = Duration.ofMillis(500);
    /** Timeout of one read (a confirmation or a proof). */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** Margin over the server's wait before this client gives up on one wait=true request. */
    static final Duration WAIT_MARGIN = Duration.ofSeconds(5);

    private enum Kind { SUBMIT, CONFIRM, PROOF }

    private record Event(Kind kind, Target target, ReplicaHttp.Reply reply, Throwable error) {
    }

    private record Timer(long atNanos, long order, Runnable action) {
    }

    private final Membership membership;
    /** f of the newest replica set the client proved when the round started. */
    private final int f;
    private final ReplicaHttp http;
    private final ProofVerifier verifier;
    private final SubmitOptions options;
    private final Digest txId;
    private final String body;
    private final Target first;
    private final List<Target> targets;

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.atNanos() != b.atNanos()
            ? Long.compare(a.atNanos(), b.atNanos()) : Long.compare(a.order(), b.order()));
    private long timerOrder;
    private final Map<SignedConfirmation.Location, TreeMap<Integer, SignedConfirmation>> tally = new LinkedHashMap<>();
    /** Verified proofs by the location their replica stated; attached to the result, never deciding it. */
    private final Map<SignedConfirmation.Location, VerifiedTransaction> proofs = new LinkedHashMap<>();
    private final Map<String, String> disbelieved = new TreeMap<>();
    private final Map<String, ReplicaHttp.Reply> refusals = new LinkedHashMap<>();
    private final Set<String> posted = new HashSet<>();
    /** Targets whose statement is in (counted or disbelieved), or which refused: not asked again. */
    private final Set<String> settled = new HashSet<>();
    private final Set<String> confirming = new HashSet<>();
    private final List<Target> committedAt = new ArrayList<>();
    private final Set<String> proofAsked = new HashSet<>();
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
    private boolean proofPhase;
    private boolean pendingSeen;
    private String lastFailure;
    private CommitConfirmation result;

    SubmitRound(Membership membership, ReplicaSets sets, ReplicaHttp http, ProofVerifier verifier,
                SubmitOptions options, Digest txId, String body, Target first) {
        this.membership = membership;
        this.f = sets.f();
        this.http = http;
        this.verifier = verifier;
        this.options = options;
        this.txId = txId;
        this.body = body;
        this.first = first;
        this.targets = Target.all(first, sets.current().members());
    }

    CommitConfirmation run() throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try {
            post(first);
            schedule(options.resendAfter(), this::resendToAll);
            schedule(options.proofAfter(), this::startProofPhase);
            while (result == null) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    throw notConfirmed();
                }
                while (!timers.isEmpty() && timers.peek().atNanos() - now <= 0 && result == null) {
                    timers.poll().action().run();
                }
                if (result != null) {
                    break;
                }
                long until = timers.isEmpty() ? deadline : Math.min(deadline, timers.peek().atNanos());
                Event event = events.poll(Math.max(0, until - now), TimeUnit.NANOSECONDS);
                if (event != null) {
                    handle(event);
                }
            }
            return result;
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
    }

    private void handle(Event event) {
        if (event.error() != null) {
            lastFailure = ReplicaHttp.describe(event.error());
            if (event.kind() == Kind.SUBMIT && event.target().equals(first)) {
                resendToAll();
            }
            if (event.kind() != Kind.PROOF) {
                retry(event, RETRY_BACKOFF);
            }
            return;
        }
        ReplicaHttp.Reply reply = event.reply();
        String status = reply.ok() && reply.body().hasNonNull("status") ? reply.body().get("status").asString() : null;
        switch (event.kind()) {
            case SUBMIT -> onSubmitted(event, reply, status);
            case CONFIRM -> onConfirmation(event, reply, status);
            case PROOF -> onProof(event.target(), reply);
        }
    }

    private void onSubmitted(Event event, ReplicaHttp.Reply reply, String status) {
        if (reply.ok() && "COMMITTED".equals(status)) {
            onCommitted(event.target(), reply);
        } else if (reply.ok() && "PENDING".equals(status)) {
            // The replica's wait ended (or it just accepted): ask it to wait again.
            pendingSeen = true;
            retry(event, options.pollInterval());
        } else if (reply.status() >= 400 && reply.status() < 500 && reply.status() != 429) {
            refused(event.target(), reply);
        } else {
            lastFailure = event.target().label() + ": " + reply.problem();
            retry(event, RETRY_BACKOFF);
        }
    }

    private void onConfirmation(Event event, ReplicaHttp.Reply reply, String status) {
        if (reply.ok() && "COMMITTED".equals(status)) {
            onCommitted(event.target(), reply);
            return;
        }
        if (reply.ok() && "PENDING".equals(status)) {
            pendingSeen = true;
        } else if (reply.status() != 404) {
            lastFailure = event.target().label() + ": " + reply.problem();
        }
        retry(event, reply.status() == 404 || reply.ok() ? options.pollInterval() : RETRY_BACKOFF);
    }

    private void onCommitted(Target target, ReplicaHttp.Reply reply) {
        if (settled.contains(target.label())) {
            return;
        }
        settled.add(target.label());
        SignedConfirmation confirmation;
        try {
            confirmation = SignedConfirmation.of(reply.body(), reply.text(), txId, membership, verifier);
        } catch (VerificationException e) {
            disbelieved.put(target.label(), e.getMessage());
            return;
        }
        committedAt.add(target);
        TreeMap<Integer, SignedConfirmation> matching =
                tally.computeIfAbsent(confirmation.location(), l -> new TreeMap<>());
        matching.put(confirmation.replica(), confirmation);
        if (matching.size() >= f + 1) {
            finish(confirmation.location(), proofs.get(confirmation.location()), matching.firstEntry().getValue().json());
            return;
        }
        askForConfirmations();
        if (proofPhase) {
            askProof(target);
        }
    }

    private void onProof(Target target, ReplicaHttp.Reply reply) {
        if (!reply.ok()) {
            lastFailure = target.label() + " (proof): " + reply.problem();
            return;
        }
        try {
            VerifiedTransaction proof = verifier.transaction(reply.body(), txId, target.baseUrl());
            SignedConfirmation.Location location =
                    new SignedConfirmation.Location(proof.blockHeight(), proof.blockHash(), proof.refusal());
            String contradiction = contradiction(location);
            if (contradiction != null) {
                disbelieved.put(target.label(), "proof: " + contradiction);
                return;
            }
            proofs.putIfAbsent(location, proof);
        } catch (VerificationException e) {
            disbelieved.put(target.label(), "proof: " + e.getMessage());
        }
    }

    /**
     * Why a proof cannot even be kept as evidence: the certificate proves the ordering, not the outcome,
     * so a validly signed confirmation of the same block with another outcome means someone lies.
     */
    private String contradiction(SignedConfirmation.Location proven) {
        for (Map.Entry<SignedConfirmation.Location, TreeMap<Integer, SignedConfirmation>> e : tally.entrySet()) {
            if (e.getKey().sameBlock(proven) && !e.getKey().equals(proven)) {
                return "its outcome " + OutcomeJson.describe(proven.refusal()) + " contradicts the outcome "
                        + OutcomeJson.describe(e.getKey().refusal()) + " signed by replicas " + e.getValue().keySet();
            }
        }
        return null;
    }

    private void refused(Target target, ReplicaHttp.Reply reply) {
        settled.add(target.label());
        refusals.put(target.label(), reply);
        if (refusals.size() >= f + 1) {
            ReplicaHttp.Reply firstRefusal = refusals.values().iterator().next();
            throw new RefusedException(firstRefusal.problem(), firstRefusal.status());
        }
        resendToAll();
    }

    private void finish(SignedConfirmation.Location location, VerifiedTransaction proof, String json) {
        TreeMap<Integer, SignedConfirmation> matching = tally.getOrDefault(location, new TreeMap<>());
        tally.forEach((other, signers) -> {
            if (!other.equals(location)) {
                String lie = other.sameBlock(location) ? "signed another outcome: " + OutcomeJson.describe(other.refusal())
                        : "signed another location: height " + other.height() + ", block hash " + other.blockHash().hex();
                signers.values().forEach(c -> disbelieved.put("replica " + c.replica(), lie));
            }
        });
        Integer index = proof != null ? Integer.valueOf(proof.index()) : agreedIndex(matching);
        if (proof != null) {
            proof = proof.withConfirmedBy(List.copyOf(matching.keySet()));
        }
        result = new CommitConfirmation(txId, location.height(), location.blockHash(), index,
                List.copyOf(matching.keySet()), proof, new TreeMap<>(disbelieved), json,
                OutcomeJson.outcome(location.refusal()), location.refusal());
    }

    private static Integer agreedIndex(TreeMap<Integer, SignedConfirmation> matching) {
        Set<Integer> indexes = new HashSet<>();
        matching.values().forEach(c -> indexes.add(c.index()));
        return indexes.size() == 1 ? indexes.iterator().next() : null;
    }

    private void resendToAll() {
        for (Target target : targets) {
            if (!posted.contains(target.label()) && !settled.contains(target.label())) {
                post(target);
            }
        }
    }

    private void startProofPhase() {
        proofPhase = true;
        committedAt.forEach(this::askProof);
    }

    private void askForConfirmations() {
        for (Target target : targets) {
            if (!settled.contains(target.label()) && confirming.add(target.label())) {
                confirm(target);
            }
        }
    }

    private void retry(Event event, Duration after) {
        if (settled.contains(event.target().label())) {
            return;
        }
        Runnable again = event.kind() == Kind.SUBMIT ? () -> post(event.target()) : () -> confirm(event.target());
        schedule(after, again);
    }

    private void post(Target target) {
        if (settled.contains(target.label())) {
            return;
        }
        posted.add(target.label());
        track(Kind.SUBMIT, target, http.postJson(target.uri("/api/v1/transactions?wait=true&waitMs="
                + options.serverWait().toMillis()), body, options.serverWait().plus(WAIT_MARGIN)));
    }

    private void confirm(Target target) {
        if (!settled.contains(target.label())) {
            track(Kind.CONFIRM, target, http.get(target.uri("/api/v1/transactions/" + txId.hex()), READ_TIMEOUT));
        }
    }

    private void askProof(Target target) {
        if (proofAsked.add(target.label())) {
            track(Kind.PROOF, target, http.get(target.uri("/api/v1/transactions/" + txId.hex() + "/proof"),
                    READ_TIMEOUT));
        }
    }

    private void track(Kind kind, Target target, CompletableFuture<ReplicaHttp.Reply> future) {
        inFlight.removeIf(CompletableFuture::isDone);
        inFlight.add(future.whenComplete((reply, error) -> events.add(new Event(kind, target, reply, error))));
    }

    private void schedule(Duration after, Runnable action) {
        timers.add(new Timer(System.nanoTime() + after.toNanos(), timerOrder++, action));
    }

    private NotConfirmedException notConfirmed() {
        int best = tally.values().stream().mapToInt(Map::size).max().orElse(0);
        StringBuilder message = new StringBuilder("transaction " + txId.hex() + " is not confirmed after "
                + options.timeout().toMillis() + " ms: " + best + " of the " + (f + 1)
                + " matching signed confirmations needed");
        if (pendingSeen) {
            message.append("; still PENDING at some replicas");
        }
        if (!disbelieved.isEmpty()) {
            Map.Entry<String, String> e = disbelieved.entrySet().iterator().next();
            message.append("; not believed: ").append(e.getKey()).append(": ").append(e.getValue());
        }
        if (lastFailure != null) {
            message.append("; last error: ").append(lastFailure);
        }
        return new NotConfirmedException(message.toString(), pendingSeen);
    }
}
