package io.pbftledger.pbft.core;

/**
 * Signs the canonical signing bytes of this replica's messages, domain included
 * ({@code MessageCodec.signingBytes(domain, message)}); Ed25519 is deterministic.
 */
public interface MessageSigner {
    byte[] sign(byte[] signingBytes);

    /**
     * Signs {@code message}, whose canonical signing bytes are {@code signingBytes}. The core always
     * calls this one; a signer whose key depends on the message (a replica that rotated its key signs
     * the messages of each epoch with the key it holds in that epoch) overrides it.
     */
    default byte[] sign(io.pbftledger.pbft.message.PbftMessage message, byte[] signingBytes) {
        return sign(signingBytes);
    }
}
