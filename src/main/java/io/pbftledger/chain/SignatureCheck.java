package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;

/**
 * Whether a transaction's signature verifies with a key. Must answer exactly as
 * {@link Transaction#verify} does; an implementation may only remember earlier answers.
 */
@FunctionalInterface
public interface SignatureCheck {
    /** Verifies every time. */
    SignatureCheck DIRECT = (tx, txId, key) -> tx.verify(key);

    boolean verifies(Transaction tx, Digest txId, Ed25519.PublicKey key);
}
