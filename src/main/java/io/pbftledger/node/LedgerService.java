package io.pbftledger.node;

import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the REST API asks of the replica. Refusals are {@link io.pbftledger.chain.LedgerException}s
 * whose kind says why (unknown client, bad signature, nonce conflict, mempool full, ...).
 */
public interface LedgerService {

    /**
     * Validates and enqueues a signed transaction. Exactly once: an identical resubmission returns the
     * existing status (COMMITTED with its location, or PENDING) and is never executed twice; the same
     * (clientId, nonce) with different content is refused with CONFLICT. Nothing is queued on refusal.
     */
    SubmitResult submit(Transaction transaction);

    /** Completes when the transaction commits on this replica (immediately if it already has). */
    CompletableFuture<SubmitResult> whenCommitted(Digest txId);

    /** A transaction submitted to this replica that has not committed yet, if it is one. */
    Optional<Transaction> pendingTransaction(Digest txId);

    ConsensusInfo consensus();

    /** Re-hashes the stored chain and checks every commit certificate against the membership keys. */
    ChainCheck verifyChain();
}
