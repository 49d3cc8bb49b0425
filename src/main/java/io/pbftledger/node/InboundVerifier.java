package io.pbftledger.node;

import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaSignatures;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

/**
 * Authenticates peer messages before they reach the core: the sender is a member, its Ed25519
 * signature covers the canonical bytes, and every client request a PRE-PREPARE or FORWARD
 * carries is a well-formed transaction of this chain, signed by a key its client holds or held
 * ({@link TransactionChecks#checkOrdered}: whether it may act is decided at execution), whose request
 * id ({@link Transaction#requestId()}, over the exact bytes) and (clientId, nonce) match the request. Inside a VIEW-CHANGE or NEW-VIEW requests travel as
 * references (ids, no transaction; see {@code PrePrepare#withoutBodies}); any that carries a
 * transaction there (a peer of an older version) is checked the same way. A reference is never
 * accepted in a PRE-PREPARE or FORWARD. Large batches are verified in parallel.
 */
public final class InboundVerifier {
    private static final int PARALLEL_THRESHOLD = 16;

    private final Membership membership;
    private final ReplicaSignatures signatures;
    private final int selfId;
    private final TransactionChecks checks;
    private final ForkJoinPool pool;
    private final int batchMaxTransactions;
    private final long batchMaxBytes;

    public InboundVerifier(Membership membership, int selfId, TransactionChecks checks, ForkJoinPool pool,
                           int batchMaxTransactions, long batchMaxBytes) {
        this.membership = membership;
        this.signatures = new ReplicaSignatures(membership);
        this.selfId = selfId;
        this.checks = checks;
        this.pool = pool;
        this.batchMaxTransactions = batchMaxTransactions;
        this.batchMaxBytes = batchMaxBytes;
    }

    /** Empty when the message may reach the core, otherwise the reason it is dropped. */
    public Optional<String> reject(Signed<? extends PbftMessage> signed) {
        PbftMessage m = signed.message();
        int sender = m.replica();
        if (sender < 0 || sender >= membership.n()) {
            return Optional.of("non_member");
        }
        if (sender == selfId) {
            return Optional.of("from_self");
        }
        if (!signatures.verify(signed)) {
            return Optional.of("bad_signature");
        }
        if (m instanceof PrePrepare pp) {
            return checkRequests(pp.batch(), true, false);
        }
        if (m instanceof Forward fw) {
            return checkRequests(fw.requests(), false, false);
        }
        if (m instanceof ViewChange vc) {
            return checkViewChange(vc);
        }
        if (m instanceof NewView nv) {
            return checkNewView(nv);
        }
        return Optional.empty();
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
