package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;

/** A client's private identity (from a {@code clients/client-<j>.key} file): its id, chain and signing key. */
public record ClientIdentity(String clientId, String chainId, Ed25519.PrivateKey privateKey) {

    /** Signs a transaction as this client. */
    public Transaction sign(long nonce, String key, String payloadJson) {
        return Transaction.sign(chainId, clientId, nonce, key, payloadJson, privateKey);
    }
}
