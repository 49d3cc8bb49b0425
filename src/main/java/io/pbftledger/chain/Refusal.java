package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;

/**
 * A transaction PBFT ordered into block {@code height} at {@code index} that execution refused
 * (its client was revoked or lacks the role, or its membership change was invalid): it stays in the
 * block, as agreed, and changes nothing. Every replica records the same refusals.
 */
public record Refusal(long height, int index, Digest txId, String clientId, ErrorKind kind, String reason) {
}
