package io.pbftledger.transport;

import io.pbftledger.pbft.message.MessageCodec;

/** Limits of the inbound peer endpoint: the body ({@code PeerBodyLimit}) and the codec's. */
public record PeerEndpointLimits(long bodyMaxBytes, MessageCodec.Limits codecLimits) {
}
