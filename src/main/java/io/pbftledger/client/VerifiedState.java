package io.pbftledger.client;

import io.pbftledger.pbft.message.Digest;

/**
 * A key's value whose writer's proof verified, with the answering replica's verified signed statement
 * that the value is current at {@code answeredAtHeight}. That the value was written by a committed
 * transaction is proven (its certificate), and {@link LedgerClient#getState} confirms the writer's
 * height and block hash with f+1 signed statements ({@code writer.confirmedBy()}); that nothing overwrote
 * it up to {@code answeredAtHeight} is the signed word of replica {@code answeredBy} alone, which it
 * cannot later deny (a lagging or faulty replica can answer with a value that was current earlier).
 *
 * @param value canonical JSON (RFC 8785)
 */
public record VerifiedState(String key, String value, VerifiedTransaction writer, long answeredAtHeight,
                            Digest answeredAtBlockHash, int answeredBy) {
}
