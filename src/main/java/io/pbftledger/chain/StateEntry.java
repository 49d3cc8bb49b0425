package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;

/** A world-state value (canonical JSON) and the committed transaction that wrote it. */
public record StateEntry(String key, String value, long blockHeight, Digest txId) {
}
