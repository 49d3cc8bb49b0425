package io.pbftledger.config;

import io.pbftledger.pbft.message.MessageCodec;

/**
 * The most bytes one peer request may carry, for the sender (which drops a single larger message) and
 * for the receiving endpoint (which answers 413): twice the batch byte limit, so a full PRE-PREPARE
 * always fits, or the largest VIEW-CHANGE/NEW-VIEW the protocol can produce with these settings
 * ({@link MessageCodec#viewChangeMaxBytes}), whichever is larger. A view change therefore never
 * needs a message the peers refuse.
 */
public final class PeerBodyLimit {
    private PeerBodyLimit() {
    }

    public static long bytes(LedgerProperties props, int n) {
        return bytes(props.batch().maxBytes(), n, props.watermarkWindow(), props.batch().maxTransactions());
    }

    public static long bytes(long batchMaxBytes, int n, long watermarkWindow, int batchMaxTransactions) {
        return Math.max(2 * batchMaxBytes, MessageCodec.viewChangeMaxBytes(n, watermarkWindow, batchMaxTransactions));
    }
}
