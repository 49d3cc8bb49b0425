package io.pbftledger.transport;

import io.pbftledger.pbft.message.MessageCodec;

/**
 * Limits of the inbound peer endpoint: the body by declared kind ({@code PeerBodyLimit}), the codec's,
 * and the body bytes all peers together may have in flight at once ({@code ledger.peer.in-flight-max-bytes}).
 */
public record PeerEndpointLimits(PeerBodyLimits bodies, MessageCodec.Limits codecLimits, long inFlightAllPeers) {
    public PeerEndpointLimits {
        if (inFlightAllPeers < bodies.inFlightPerPeer()) {
            throw new IllegalArgumentException("the bound over all peers (" + inFlightAllPeers
                    + ") must be at least one peer's (" + bodies.inFlightPerPeer() + ")");
        }
    }

    /** No bound over all peers beyond the sum of their own. */
    public PeerEndpointLimits(PeerBodyLimits bodies, MessageCodec.Limits codecLimits) {
        this(bodies, codecLimits, Long.MAX_VALUE);
    }
}
