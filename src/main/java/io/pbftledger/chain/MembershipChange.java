package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;

/** A membership transaction that took effect: executed in block {@code height} at {@code index}. */
public record MembershipChange(long height, int index, Digest txId, MembershipOp op) {
}
