package io.pbftledger.node;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.pbft.message.ViewChange;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.pbft.core.MessageVerifier;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * Authenticates peer messages before they reach the core: the sender is a member of the epoch that
 * judges the message and its Ed25519 signature, by the key it holds there ({@link ReplicaDirectory}), covers
 * the canonical bytes, and every client request a PRE-PREPARE or FORWARD
 * carries is a well-formed transaction of this chain, signed by a key its client holds or held
 * ({@link TransactionChecks#checkOrdered}: whether it may act is decided at execution), whose request
 * id ({@link Transaction#requestId()}, over the exact bytes, signature included) and
 * (clientId, nonce) match the request. Inside a VIEW-CHANGE or NEW-VIEW requests travel as
 * references (ids, no transaction; see {@code PrePrepare#withoutBodies}); any that carries a
 * transaction there (a peer of an older version) is checked the same way. A reference is never
 * accepted in a PRE-PREPARE or FORWARD. Large batches are verified in parallel.
 *
 * <p>Every signature nested in a VIEW-CHANGE or NEW-VIEW (checkpoint proofs, prepared
 * certificates, the view changes and pre-prepares of a NEW-VIEW) is checked here too, so the core
 * checks none on the consensus thread ({@code MessageVerifier.CHECKED_BEFORE_STEP}). Each distinct
 * signed message is checked once ({@link VerifiedMessages}); the same message again within the
 * replay window is dropped as {@code replayed} before any check. Signature checks are charged to the
 * sender's {@link PeerBudget}. A FORWARD loses the requests the chain already executed here (one
 * batched store query off the consensus thread) and is dropped when none remains; copies of such a
 * FORWARD are dropped at the cost of a hash.
 */
public final class InboundVerifier {
    private static final int PARALLEL_THRESHOLD = 16;
    /** Signed messages remembered as verified when the caller does not say (the old constructor). */
    private static final int DEFAULT_VERIFIED_MAX_ENTRIES = 50_000;

    /** What this stage spends on one message and what it knows: the verdicts it reuses. */
    public record Defences(SenderVerifier signatures, VerifiedMessages verified, PeerBudget budget,
                           Function<List<ClientRequest>, PriorExecution> executed) {
    }

    /** A message for the core (perhaps a FORWARD without executed requests), or why it was dropped. */
    public record Verdict(Signed<? extends PbftMessage> message, String dropReason) {
        static Verdict drop(String reason) {
            return new Verdict(null, reason);
        }

        public boolean accepted() {
            return dropReason == null;
        }
    }

    private final ReplicaDirectory keys;
    private final SigningDomain domain;
    private final int selfId;
    private final TransactionChecks checks;
    private final ForkJoinPool pool;
    private final int batchMaxTransactions;
    private final long batchMaxBytes;
    private final Defences defences;

    public InboundVerifier(Membership membership, int selfId, TransactionChecks checks, ForkJoinPool pool,
                           int batchMaxTransactions, long batchMaxBytes) {
        this(membership, selfId, checks, pool, batchMaxTransactions, batchMaxBytes,
                new Defences(membershipKeys(membership), new VerifiedMessages(DEFAULT_VERIFIED_MAX_ENTRIES, 0,
                        System::currentTimeMillis), PeerBudget.unlimited(), requests -> PriorExecution.NONE));
    }

    public InboundVerifier(Membership membership, int selfId, TransactionChecks checks, ForkJoinPool pool,
                           int batchMaxTransactions, long batchMaxBytes, Defences defences) {
        this(membership, ReplicaDirectory.genesis(membership), selfId, checks, pool, batchMaxTransactions, batchMaxBytes,
                defences);
    }

    /** @param keys who is a member of the epoch that judges each message, and with which key */
    public InboundVerifier(Membership membership, ReplicaDirectory keys, int selfId, TransactionChecks checks,
                           ForkJoinPool pool, int batchMaxTransactions, long batchMaxBytes, Defences defences) {
        this.keys = keys;
        this.domain = Genesis.signingDomain(membership);
        this.selfId = selfId;
        this.checks = checks;
        this.pool = pool;
        this.batchMaxTransactions = batchMaxTransactions;
        this.batchMaxBytes = batchMaxBytes;
        this.defences = defences;
    }

    /** Checks a replica's signature with the membership file's key for it (false for a non-member). */
    public static SenderVerifier membershipKeys(Membership membership) {
        return ReplicaDirectory.genesis(membership).verifier();
    }

    /** Empty when the message may reach the core, otherwise the reason it is dropped. */
    public Optional<String> reject(Signed<? extends PbftMessage> signed) {
        return Optional.ofNullable(verify(signed).dropReason());
    }

    /** What goes to the core for {@code signed}, or why nothing does. */
    public Verdict verify(Signed<? extends PbftMessage> signed) {
        PbftMessage m = signed.message();
        int sender = m.replica();
        if (keys.keyOf(m).isEmpty()) {
            return Verdict.drop("non_member");
        }
        if (sender == selfId) {
            return Verdict.drop("from_self");
        }
        Digest key = VerifiedMessages.key(MessageCodec.signingBytes(domain, m), signed.signature());
        VerifiedMessages.Seen seen = defences.verified().seen(key);
        if (seen == VerifiedMessages.Seen.REPLAYED) {
            return Verdict.drop("replayed");
        }
        if (seen == VerifiedMessages.Seen.USELESS) {
            return Verdict.drop("already_executed");
        }
        if (seen == VerifiedMessages.Seen.NEW) {
            Optional<String> bad = checkSignatures(signed, key);
            if (bad.isPresent()) {
                return Verdict.drop(bad.get());
            }
        }
        // Authentic: a copy within the replay window is dropped from here on, whatever follows.
        defences.verified().passed(key);
        Signed<? extends PbftMessage> forCore = signed;
        Optional<String> bad = Optional.empty();
        if (m instanceof PrePrepare pp) {
            bad = checkRequests(pp.batch(), true, false);
        } else if (m instanceof Forward fw) {
            List<ClientRequest> unexecuted = unexecuted(fw.requests());
            if (unexecuted.isEmpty()) {
                defences.verified().useless(key);
                return Verdict.drop("already_executed");
            }
            bad = checkRequests(unexecuted, false, false);
            if (unexecuted.size() < fw.requests().size()) {
                // Its signature covered all of them; the core trusts what passed this stage.
                forCore = new Signed<>(new Forward(fw.replica(), unexecuted), signed.signature());
            }
        } else if (m instanceof ViewChange vc) {
            bad = checkViewChange(vc);
        } else if (m instanceof NewView nv) {
            bad = checkNewView(nv);
        }
        if (bad.isPresent()) {
            return Verdict.drop(bad.get());
        }
        return new Verdict(forCore, null);
    }

    /**
     * The outer signature and, in a VIEW-CHANGE or NEW-VIEW, every nested one not verified before,
     * charged to the sender's budget first. Nested messages that verified are remembered, so a
     * VIEW-CHANGE met again inside a NEW-VIEW costs nothing.
     */
    private Optional<String> checkSignatures(Signed<? extends PbftMessage> signed, Digest key) {
        List<Signed<?>> nested = new ArrayList<>();
        collectNested(signed.message(), nested);
        List<Signed<?>> unverified = new ArrayList<>();
        List<Digest> unverifiedKeys = new ArrayList<>();
        java.util.Set<Digest> distinct = new java.util.HashSet<>();
        for (Signed<?> s : nested) {
            if (keys.keyOf(s.message()).isEmpty()) {
                return Optional.of("bad_nested_signature");
            }
            Digest k = VerifiedMessages.key(MessageCodec.signingBytes(domain, s.message()), s.signature());
            if (!defences.verified().verified(k) && distinct.add(k)) {
                unverified.add(s);
                unverifiedKeys.add(k);
            }
        }
        Optional<String> over = defences.budget().signatureChecks(signed.message().replica(), 1 + unverified.size());
        if (over.isPresent()) {
            return over;
        }
        if (!signatureValid(signed)) {
            return Optional.of("bad_signature");
        }
        boolean nestedValid;
        if (unverified.size() < PARALLEL_THRESHOLD) {
            nestedValid = unverified.stream().allMatch(this::signatureValid);
        } else {
            try {
                nestedValid = pool.submit(() -> unverified.parallelStream().allMatch(this::signatureValid)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            } catch (ExecutionException e) {
                return Optional.of("bad_nested_signature");
            }
        }
        if (!nestedValid) {
            return Optional.of("bad_nested_signature");
        }
        for (Digest k : unverifiedKeys) {
            defences.verified().verifiedNested(k);
        }
        return Optional.empty();
    }

    private boolean signatureValid(Signed<?> s) {
        return defences.signatures().verify(s.message(), MessageCodec.signingBytes(domain, s.message()), s.signature());
    }

    /** The signed messages a VIEW-CHANGE or NEW-VIEW carries, to any depth, in message order. */
    private static void collectNested(PbftMessage m, List<Signed<?>> out) {
        if (m instanceof ViewChange vc) {
            out.addAll(vc.checkpointProof());
            for (PreparedProof proof : vc.prepared()) {
                out.add(proof.prePrepare());
                out.addAll(proof.prepares());
            }
        } else if (m instanceof NewView nv) {
            for (Signed<ViewChange> vc : nv.viewChanges()) {
                out.add(vc);
                collectNested(vc.message(), out);
            }
            out.addAll(nv.prePrepares());
        }
    }

    /** The requests of a FORWARD that the chain has not executed (one batched lookup). */
    private List<ClientRequest> unexecuted(List<ClientRequest> requests) {
        PriorExecution prior = defences.executed().apply(requests);
        List<ClientRequest> out = new ArrayList<>(requests.size());
        for (ClientRequest r : requests) {
            if (!prior.executed(r.clientId(), r.nonce())) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The batch bodies inside a VIEW-CHANGE are not covered by any replica signature (signing bytes
     * carry request ids only): each that travels must be the client-signed transaction its id names,
     * or one faulty replica could slip other transactions under agreed ids. References carry none.
     */
    private Optional<String> checkViewChange(ViewChange vc) {
        for (PreparedProof proof : vc.prepared()) {
            Optional<String> bad = checkRequests(proof.prePrepare().message().batch(), true, true);
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    /** As for a VIEW-CHANGE: a NEW-VIEW's bodies (in V and in O) are unsigned by the primary, so each is checked. */
    private Optional<String> checkNewView(NewView nv) {
        for (Signed<ViewChange> vc : nv.viewChanges()) {
            Optional<String> bad = checkViewChange(vc.message());
            if (bad.isPresent()) {
                return bad;
            }
        }
        for (Signed<PrePrepare> pp : nv.prePrepares()) {
            Optional<String> bad = checkRequests(pp.message().batch(), true, true);
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    private Optional<String> checkRequests(List<ClientRequest> all, boolean isBatch, boolean referencesAllowed) {
        if (all.size() > batchMaxTransactions) {
            return Optional.of("oversized_batch");
        }
        if (!referencesAllowed && all.stream().anyMatch(ClientRequest::isReference)) {
            return Optional.of("invalid_request");
        }
        // A reference's client id is an unsigned hint, but it must look like one: the bound on a view
        // change's size (PeerBodyLimit) counts 64 bytes of it.
        if (referencesAllowed && all.stream().anyMatch(r -> r.isReference()
                && !Transaction.ID_PATTERN.matcher(r.clientId()).matches())) {
            return Optional.of("invalid_request");
        }
        List<ClientRequest> requests = referencesAllowed ? all.stream().filter(r -> !r.isReference()).toList() : all;
        if (isBatch) {
            long bytes = 0;
            for (ClientRequest r : requests) {
                bytes += r.size();
            }
            if (bytes > batchMaxBytes) {
                return Optional.of("oversized_batch");
            }
        }
        boolean allValid;
        if (requests.size() < PARALLEL_THRESHOLD) {
            allValid = requests.stream().allMatch(this::validRequest);
        } else {
            try {
                allValid = pool.submit(() -> requests.parallelStream().allMatch(this::validRequest)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            } catch (ExecutionException e) {
                return Optional.of("invalid_request");
            }
        }
        return allValid ? Optional.empty() : Optional.of("invalid_request");
    }

    private boolean validRequest(ClientRequest request) {
        try {
            Transaction tx = Transaction.fromWire(request.body());
            if (!tx.clientId().equals(request.clientId()) || tx.nonce() != request.nonce()) {
                return false;
            }
            if (!tx.requestId().equals(request.id())) {
                return false; // the id PBFT orders binds the exact bytes, signature included
            }
            checks.checkOrdered(tx, tx.txId());
            return true;
        } catch (LedgerException | IllegalArgumentException e) {
            return false;
        }
    }
}
