package io.pbftledger.node;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.SignatureCheck;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client membership in effect after this replica's newest stored block, for admission, the
 * REST API and read authentication (any thread), moved forward by the consensus thread right after
 * each block is stored. Also the replica's memory of verified client signatures.
 */
public final class ClientRegistry {
    private final AtomicReference<ClientMembership> current;
    private final VerifiedTransactions verified;
    private final SignatureCheck signatures;
    /** The highest sequence executed here, stored blocks and empty sequences alike. */
    private final java.util.concurrent.atomic.AtomicLong executedSequence;

    public ClientRegistry(ClientMembership initial, VerifiedTransactions verified) {
        this(initial, verified, 0);
    }

    /** @param storedSequence the sequence of the newest stored block */
    public ClientRegistry(ClientMembership initial, VerifiedTransactions verified, long storedSequence) {
        this.current = new AtomicReference<>(initial);
        this.executedSequence = new java.util.concurrent.atomic.AtomicLong(storedSequence);
        this.verified = verified;
        this.signatures = this::verifies;
    }

    public ClientMembership current() {
        return current.get();
    }

    /** Called by the consensus thread once {@code executed} is stored. */
    public void advance(ExecutedBlock executed) {
        if (executed.clientsAfter() != null) {
            current.set(executed.clientsAfter());
        }
        executedSequence.accumulateAndGet(executed.block().header().sequence(), Math::max);
    }

    /**
     * Sequences up to {@code sequence} are executed here (null requests and empty batches make no
     * block, so {@link #advance} alone would lag behind them): the execution stage says so for each.
     */
    public void executed(long sequence) {
        executedSequence.accumulateAndGet(sequence, Math::max);
    }

    /**
     * The highest sequence executed here: a replica-set change admitted now is ordered above it, and
     * the epoch in force is the one that orders the next.
     */
    public long executedSequence() {
        return executedSequence.get();
    }

    /** Signature verification that remembers what verified, shared by admission, validation and execution. */
    public SignatureCheck signatures() {
        return signatures;
    }

    private boolean verifies(Transaction tx, Digest txId, Ed25519.PublicKey key) {
        if (verified.contains(txId, key, tx.signature())) {
            return true;
        }
        if (!tx.verify(key)) {
            return false;
        }
        verified.add(txId, key, tx.signature());
        return true;
    }
}
