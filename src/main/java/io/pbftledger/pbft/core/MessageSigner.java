package io.pbftledger.pbft.core;

/**
 * Signs the canonical signing bytes of this replica's messages, domain included
 * ({@code MessageCodec.signingBytes(domain, message)}); Ed25519 is deterministic.
 */
public interface MessageSigner {
    byte[] sign(byte[] signingBytes);
}
