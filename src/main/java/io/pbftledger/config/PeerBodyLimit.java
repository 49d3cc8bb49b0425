package io.pbftledger.config;

import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.transport.PeerBodyLimits;
import io.pbftledger.transport.PeerEndpointLimits;

/**
 * The most bytes one peer request may carry, by what it declares to carry ({@link PeerBodyLimits}),
 * for the sender (which splits its requests to fit and drops a single larger message) and for the
 * receiving endpoint (which answers 413 before reading): votes, a full send batch of the largest vote;
 * a batch, the largest PRE-PREPARE or FORWARD (batch byte limit of bodies, or one transaction of the
 * largest size alone, plus each request's id, client id, nonce and length); a view change, the largest
 * VIEW-CHANGE/NEW-VIEW the protocol can produce with these settings ({@link MessageCodec#viewChangeMaxBytes}).
 * Each is at least the one before, so a view change never needs a message the peers refuse. The
 * settings must be the same on every replica.
 */
public final class PeerBodyLimit {
    private PeerBodyLimit() {
    }

    /** The largest body any peer request may carry. */
    public static long bytes(LedgerProperties props, int n) {
        return limits(props, n).largest();
    }

    /** The largest body any peer request may carry, for these settings. */
    public static long bytes(long batchMaxBytes, int n, long watermarkWindow, int batchMaxTransactions,
                             int sendBatchMaxMessages) {
        return limits(batchMaxBytes, n, watermarkWindow, batchMaxTransactions, sendBatchMaxMessages).largest();
    }

    /**
     * The most body bytes all peers together may have in flight at a replica at once:
     * {@code ledger.peer.in-flight-max-bytes}, or when it is 0, f+1 times what one peer may
     * ({@link PeerBodyLimits#inFlightPerPeer}): f faulty replicas holding all they may still leave an
     * honest one room for its largest view change and batch.
     */
    public static long inFlightAllPeers(LedgerProperties props, int n) {
        long configured = props.peer().inFlightMaxBytes();
        return configured > 0 ? configured : ((n - 1) / 3 + 1) * limits(props, n).inFlightPerPeer();
    }

    /**
     * Everything the peer endpoint limits for a set of {@code n}: the bodies by kind, the codec's limits
     * and the in-flight bound over all peers.
     */
    public static PeerEndpointLimits endpoint(LedgerProperties props, int n) {
        PeerBodyLimits exact = limits(props, n);
        // A set grown past what these settings were checked for at start may need more than the journal
        // holds in one record; the limits stop there (such a set should run with a smaller window or batch).
        long ceiling = StartupCheck.PEER_BODY_CEILING;
        PeerBodyLimits bodies = exact.largest() <= ceiling ? exact : new PeerBodyLimits(Math.min(exact.votes(), ceiling),
                Math.min(exact.batch(), ceiling), ceiling);
        // A VIEW-CHANGE holds a prepared certificate per sequence of the window: the count limit admits them.
        int maxMessages = (int) Math.min(Integer.MAX_VALUE, Math.max(props.peer().sendBatchMaxMessages() * 4L,
                props.watermarkWindow() + n));
        return new PeerEndpointLimits(bodies, new MessageCodec.Limits(maxMessages, props.batch().maxTransactions(),
                Transaction.WIRE_MAX_BYTES, bodies.largest()), inFlightAllPeers(props, n));
    }

    public static PeerBodyLimits limits(LedgerProperties props, int n) {
        return limits(props.batch().maxBytes(), n, props.watermarkWindow(), props.batch().maxTransactions(),
                props.peer().sendBatchMaxMessages());
    }

    public static PeerBodyLimits limits(long batchMaxBytes, int n, long watermarkWindow, int batchMaxTransactions,
                                        int sendBatchMaxMessages) {
        long votes = 4 + (long) sendBatchMaxMessages * MessageCodec.voteMaxBytes();
        long bodies = Math.max(batchMaxBytes, Transaction.WIRE_MAX_BYTES);
        long batch = Math.max(votes, 4 + MessageCodec.orderingMaxBytes(batchMaxTransactions, bodies));
        long viewChange = Math.max(batch, MessageCodec.viewChangeMaxBytes(n, watermarkWindow, batchMaxTransactions));
        return new PeerBodyLimits(votes, batch, viewChange);
    }
}
