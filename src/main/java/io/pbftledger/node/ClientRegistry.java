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

    public ClientRegistry(ClientMembership initial, VerifiedTransactions verified) {
        this.current = new AtomicReference<>(initial);
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
