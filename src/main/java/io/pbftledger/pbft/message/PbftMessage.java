package io.pbftledger.pbft.message;

/**
 * A message between replicas. The signature travels beside it in {@link Signed}, never inside.
 * {@code ViewChange} and {@code NewView} will join the permitted records (codec type bytes 6 and 7
 * are reserved for them).
 */
public sealed interface PbftMessage permits OrderingMessage, Checkpoint, Forward {
    /** The sender's replica id. */
    int replica();
}
