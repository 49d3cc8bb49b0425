package io.pbftledger.pbft.message;

/** The three-phase messages that order one batch at (view, sequence). */
public sealed interface OrderingMessage extends PbftMessage permits PrePrepare, Prepare, Commit {
    long view();

    long sequence();

    Digest batchDigest();
}
