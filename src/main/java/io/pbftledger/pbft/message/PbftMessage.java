package io.pbftledger.pbft.message;

/**
 * A message between replicas. The signature travels beside it in {@link Signed}, never inside.
 * VIEW-CHANGE and NEW-VIEW carry other replicas' signed messages as proofs.
 */
public sealed interface PbftMessage permits OrderingMessage, Checkpoint, Forward, ViewChange, NewView, Status {
    /** The sender's replica id. */
    int replica();
}
