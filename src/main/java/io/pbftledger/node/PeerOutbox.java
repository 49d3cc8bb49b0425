package io.pbftledger.node;

import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;

/**
 * Outbound side of the peer transport. Implementations never block the caller (the consensus
 * thread): messages go into bounded per-peer queues and are sent by other threads.
 */
public interface PeerOutbox {

    /** Queues {@code message} for replica {@code to}; when its queue is full the message is dropped and counted. */
    void send(int to, Signed<? extends PbftMessage> message);

    /** Queues {@code message} for every replica except this one. */
    void broadcast(Signed<? extends PbftMessage> message);

    /** Every other replica with its URL and whether it answered recently. */
    List<ConsensusInfo.PeerInfo> peers();
}
