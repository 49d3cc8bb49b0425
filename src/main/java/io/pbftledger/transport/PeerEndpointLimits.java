package io.pbftledger.transport;

import io.pbftledger.pbft.message.MessageCodec;

/** Limits of the inbound peer endpoint: the body by declared kind ({@code PeerBodyLimit}) and the codec's. */
public record PeerEndpointLimits(PeerBodyLimits bodies, MessageCodec.Limits codecLimits) {
}
