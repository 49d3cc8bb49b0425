package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;

/** One world-state write: transaction {@code index} of a block set {@code key} to {@code value} (canonical JSON). */
public record StateWrite(String key, String value, Digest txId, int index) {
}
