package io.pbftledger.client;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.Transaction;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.pbft.message.Digest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A client of the ledger that trusts only the membership: replica and client public keys. Replica-set
 * changes are followed from there through their proofs ({@link #replicaSets()}).
 *
 * <pre>{@code
 * try (LedgerClient client = LedgerClient.builder(membership).identity(identity).build()) {
 *     CommitConfirmation done = client.submit("greeting", "{\"text\":\"hello\"}");
 *     if (done.refused()) { ... done.refusal().reason() ... }
 *     VerifiedState state = client.getState("greeting");
 * }
 * }</pre>
 *
 * {@link #submit} returns only when f+1 replicas signed matching confirmations (txId, height, block
 * hash, outcome); {@link #getTransaction} verifies the replica's proof and then requires f+1 matching
 * signed statements of the location and outcome it proves; {@link #getState} verifies the replica's proof
 * (see there for what it proves). Both throw {@link VerificationException} when the evidence does not check. With an identity, every read is signed
 * (headers of {@link io.pbftledger.chain.ReadRequestSignature}), so it also works against replicas
 * whose reads are closed; a client certificate for mutual TLS goes into {@link Builder#sslContext}.
 * Thread-safe; close it to stop its HTTP threads.
 */
public final class LedgerClient implements AutoCloseable {
    /** Longest a membership check waits for f+1 agreeing replicas (less when the submit timeout is shorter). */
    static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(15);
    private static final java.util.regex.Pattern TX_ID = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");
    private final Membership membership;
    private final ClientIdentity identity;
    private final Target node;
    private final SubmitOptions options;
    private final ExecutorService executor;
    private final ReplicaHttp http;
    private final ReplicaSetTracker sets;
    private final ProofVerifier verifier;
    private final AtomicLong lastNonce = new AtomicLong();
    private final MemberCheck memberCheck;
    private final StatementQuorum quorum;
    /** Set once the identity was found a member; a later revocation shows in the replicas' refusals. */
    private volatile ClientStanding standing;

    private LedgerClient(Builder b) {
        this.membership = b.membership;
        this.identity = b.identity;
        List<ReplicaRoster.Member> genesisReplicas = ReplicaSets.genesis(membership).current().members();
        this.node = b.node == null ? Target.of(genesisReplicas.get(0)) : Target.of(b.node, genesisReplicas);
        this.options = b.options;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread t = new Thread(runnable, "ledger-client-http");
            t.setDaemon(true);
            return t;
        });
        this.http = new ReplicaHttp(executor, b.sslContext, identity);
        this.sets = new ReplicaSetTracker(membership, http, node, System::nanoTime);
        this.verifier = new ProofVerifier(sets::current);
        this.memberCheck = new MemberCheck(membership, sets::current, http);
        this.quorum = new StatementQuorum(membership, sets::current, http, verifier);
    }

    public static Builder builder(Membership membership) {
        return new Builder(membership);
    }

    /** A client from a {@code membership.yml} and a client key file ({@code clients/client-<j>.key}). */
    public static LedgerClient fromFiles(Path membershipFile, Path identityFile) {
        return builder(MembershipFile.load(membershipFile)).identity(KeyFiles.loadClientIdentity(identityFile)).build();
    }

    public Membership membership() {
        return membership;
    }

    /**
     * The replica sets this client has proven from the membership file (see {@link ReplicaSets}),
     * asked for again when older than {@link ReplicaSetTracker#MAX_AGE}. Every operation does this
     * first: signed statements count only from members of the newest proven set, with the keys they
     * hold there, and each certificate is judged by the proven set that ordered its sequence.
     */
    public ReplicaSets replicaSets() {
        return sets.currentAtMost(ReplicaSetTracker.MAX_AGE);
    }

    /**
     * Checks that this client's identity is a member with its key: at once when the membership file
     * lists it so; otherwise (a client an admin added later, or a rotated key) only when f+1 replicas
     * report its key in {@code GET /api/v1/membership}, so no single replica can vouch for it. The
     * answer is remembered. {@link #submit} and {@link #send} check their own client's transactions
     * this way first.
     *
     * @throws NotMemberException    when f+1 replicas deny it (revoked, never added, or another key)
     * @throws LedgerClientException when neither f+1 confirmations nor f+1 denials came in time
     */
    public ClientStanding checkMembership() throws InterruptedException {
        ClientStanding known = standing;
        if (known == null) {
            replicaSets();
            Duration limit = options.timeout().compareTo(MEMBERSHIP_TIMEOUT) < 0 ? options.timeout() : MEMBERSHIP_TIMEOUT;
            known = memberCheck.check(requireIdentity(), limit);
            standing = known;
        }
        return known;
    }

    /** Signs a transaction with a fresh nonce (microseconds, strictly increasing per client object). */
    public Transaction sign(String key, String payloadJson) {
        return requireIdentity().sign(nextNonce(), key, payloadJson);
    }

    /** Signs and submits; returns once the commit is confirmed (see {@link #submit(Transaction)}). */
    public CommitConfirmation submit(String key, String payloadJson) throws InterruptedException {
        return submit(sign(key, payloadJson));
    }

    /**
     * Submits a signed transaction as a PBFT client: to the chosen node first, to every replica after
     * {@code resendAfter}; returns when f+1 replicas signed the same (txId, height, block hash, outcome). A
     * replica's proof is never enough: its commit certificate proves the ordering, not the location or outcome. Resubmitting the same transaction is safe (it executes at most once).
     * A transaction that was ordered but refused at execution (its client was revoked in an earlier block,
     * an invalid membership change) returns too, with {@link CommitConfirmation#outcome()} REFUSED and the
     * reason in {@link CommitConfirmation#refusal()}: check the outcome before treating it as done.
     *
     * @throws RefusedException       when f+1 replicas refuse it (bad signature, nonce conflict, ...)
     * @throws NotConfirmedException  when neither happened within the timeout
     */
    public CommitConfirmation submit(Transaction tx) throws InterruptedException {
        Objects.requireNonNull(tx, "tx");
        checkOwnMembership(tx);
        return new SubmitRound(membership, replicaSets(), http, verifier, options, tx.txId(), TransactionBody.json(tx),
                node).run();
    }

    /**
     * Sends a signed transaction to the chosen node only, without waiting for its commit: the node's
     * answer (202 PENDING, or 200 if it already committed), or {@link RefusedException} with its problem.
     * Nothing in it is confirmed; use {@link #submit(Transaction)} to learn that it committed.
     */
    public Accepted send(Transaction tx) {
        try {
            checkOwnMembership(tx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerClientException("interrupted while checking the membership", e);
        }
        ReplicaHttp.Reply reply = ReplicaHttp.await(http.postJson(node.uri("/api/v1/transactions"),
                TransactionBody.json(tx), SubmitRound.READ_TIMEOUT));
        if (!reply.ok()) {
            throw new RefusedException(reply.problem(), reply.status());
        }
        String txId = JsonFields.text(reply.body(), "txId");
        if (!txId.equals(tx.txId().hex())) {
            throw new VerificationException(node.label() + " answered txId " + txId + ", but this transaction's txId is "
                    + tx.txId().hex());
        }
        return new Accepted(tx.txId(), JsonFields.text(reply.body(), "status"), reply.text());
    }

    /** The node's answer to {@link #send}: its status (PENDING or COMMITTED, unconfirmed) and JSON. */
    public record Accepted(Digest txId, String status, String json) {
    }

    /**
     * A committed transaction, fetched from the chosen node with its proof, which is verified first. The
     * proof's certificate proves the ordering only; the height, block hash and
     * {@link VerifiedTransaction#outcome()} (EXECUTED, or REFUSED with the reason) are returned only once
     * f+1 replicas signed the same ({@link VerifiedTransaction#confirmedBy()}), so no single replica
     * decides them.
     *
     * @throws VerificationException when the proof does not verify, or f+1 matching signed statements
     *                               did not come within the read timeout
     */
    public VerifiedTransaction getTransaction(String txIdHex) {
        if (txIdHex == null || !TX_ID.matcher(txIdHex).matches()) {
            throw new IllegalArgumentException("txId must be 64 hexadecimal characters, got '" + txIdHex + "'");
        }
        Digest txId = Digest.fromHex(txIdHex.toLowerCase(java.util.Locale.ROOT));
        replicaSets();
        ReplicaHttp.Reply reply = read("/api/v1/transactions/" + txId.hex() + "/proof");
        VerifiedTransaction proven = verified(() -> verifier.transaction(reply.body(), txId, node.baseUrl()));
        SignedConfirmation.Location claimed =
                new SignedConfirmation.Location(proven.blockHeight(), proven.blockHash(), proven.refusal());
        try {
            return proven.withConfirmedBy(quorum.confirm(txId, claimed, proven.outcomeSignedBy(),
                    SubmitRound.READ_TIMEOUT));
        } catch (VerificationException e) {
            throw new VerificationException("the location and outcome " + node.label() + " proves are not confirmed: "
                    + e.getMessage());
        }
    }

    /**
     * A key's value with the verified proof of its writer and the node's verified signed statement that
     * it is current. The writer's location is returned only once f+1 replicas signed it (its outcome is
     * EXECUTED, since it wrote the value); that the value is still current at the answered height is the
     * node's signed word alone (see {@link VerifiedState}).
     */
    public VerifiedState getState(String key) {
        if (key == null || !Transaction.KEY_PATTERN.matcher(key).matches()) {
            throw new IllegalArgumentException("key must match " + Transaction.KEY_PATTERN.pattern());
        }
        replicaSets();
        ReplicaHttp.Reply reply = read("/api/v1/state/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "/proof");
        VerifiedState state = verified(() -> verifier.state(reply.body(), key, node.baseUrl()));
        VerifiedTransaction writer = state.writer();
        try {
            List<Integer> confirmedBy = quorum.confirm(writer.txId(),
                    new SignedConfirmation.Location(writer.blockHeight(), writer.blockHash(), null), null,
                    SubmitRound.READ_TIMEOUT);
            return new VerifiedState(state.key(), state.value(), writer.withConfirmedBy(confirmedBy),
                    state.answeredAtHeight(), state.answeredAtBlockHash(), state.answeredBy());
        } catch (VerificationException e) {
            throw new VerificationException("the location of the value's writer that " + node.label()
                    + " proves is not confirmed: " + e.getMessage());
        }
    }

    private ReplicaHttp.Reply read(String path) {
        ReplicaHttp.Reply reply = ReplicaHttp.await(http.get(node.uri(path), SubmitRound.READ_TIMEOUT));
        if (!reply.ok()) {
            throw new RefusedException(reply.problem(), reply.status());
        }
        return reply;
    }

    /**
     * The checked proof; when it does not check, the replica sets are asked for once more (the proof may
     * be of an epoch this client has not proven yet) and, if that proved a newer one, it is checked again.
     */
    private <T> T verified(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (VerificationException first) {
            if (sets.refresh(SubmitRound.READ_TIMEOUT)) {
                try {
                    return check.get();
                } catch (VerificationException e) {
                    throw new VerificationException("the proof from " + node.label() + " does not verify: " + e.getMessage());
                }
            }
            throw new VerificationException("the proof from " + node.label() + " does not verify: " + first.getMessage());
        }
    }

    /** A transaction of this client's own identity is sent only once the identity is known to be a member. */
    private void checkOwnMembership(Transaction tx) throws InterruptedException {
        if (identity != null && identity.clientId().equals(tx.clientId())) {
            checkMembership();
        }
    }

    private ClientIdentity requireIdentity() {
        if (identity == null) {
            throw new IllegalStateException("this client has no identity; build it with identity(...) to sign");
        }
        return identity;
    }

    private long nextNonce() {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        return lastNonce.updateAndGet(last -> Math.max(last + 1, micros));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Builds a {@link LedgerClient}; only the membership is required (an identity is needed to sign). */
    public static final class Builder {
        private final Membership membership;
        private ClientIdentity identity;
        private String node;
        private SubmitOptions options = SubmitOptions.defaults();
        private SSLContext sslContext;

        private Builder(Membership membership) {
            this.membership = Objects.requireNonNull(membership, "membership");
        }

        /**
         * The client's identity, which must be of the membership's chain; it need not be in the
         * membership file (a client an admin added later is confirmed by f+1 replicas, see
         * {@link LedgerClient#checkMembership}). It also signs the client's reads.
         */
        public Builder identity(ClientIdentity identity) {
            if (!identity.chainId().equals(membership.chainId())) {
                throw new IllegalArgumentException("the identity " + identity.clientId() + " is for chain "
                        + identity.chainId() + ", but the membership is chain " + membership.chainId());
            }
            this.identity = identity;
            return this;
        }

        /** The node to send to and read from first (default: replica 0's URL); any http(s) base URL. */
        public Builder node(String url) {
            this.node = Objects.requireNonNull(url, "url");
            return this;
        }

        /** TLS for https:// replicas (the cluster's CA, and a client certificate for mutual TLS); default: the JDK's. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        public Builder options(SubmitOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Shorthand for {@code options(options.withTimeout(timeout))}. */
        public Builder timeout(Duration timeout) {
            return options(options.withTimeout(timeout));
        }

        public LedgerClient build() {
            return new LedgerClient(this);
        }
    }
}
