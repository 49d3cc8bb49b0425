package io.pbftledger.node;

import io.pbftledger.pbft.message.PbftMessage;

/**
 * Checks the signature on a peer message with the key its sender holds for it ({@link ReplicaDirectory}):
 * false for a sender that holds none.
 */
@FunctionalInterface
public interface SenderVerifier {
    boolean verify(PbftMessage message, byte[] signingBytes, byte[] signature);
}
