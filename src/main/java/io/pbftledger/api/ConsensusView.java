package io.pbftledger.api;

import io.pbftledger.node.ConsensusInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * This replica's consensus state. A copy of {@link ConsensusInfo} so that the public JSON shape
 * cannot change by accident when the internal record does.
 */
@Schema(name = "Consensus")
public record ConsensusView(int replicaId, int n, int f, long view, int primary,
                            @Schema(description = "Replica status, e.g. NORMAL or VIEW_CHANGE") String status,
                            long lastExecutedSequence, long height, long lowWatermark, long highWatermark,
                            int pendingTransactions, List<Peer> peers,
                            @Schema(description = "Peer messages dropped since start, by reason (bad signature, "
                                    + "non-member, outside the watermarks, old view, ...)")
                            Map<String, Long> droppedMessages,
                            @Schema(description = "Sequence of the newest stable checkpoint (0 before the first)")
                            long stableCheckpoint,
                            @Schema(description = "The view being changed to during VIEW_CHANGE, else the current view")
                            long viewChangeTarget,
                            @Schema(description = "Replicas whose messages this replica still waits for: their "
                                    + "VIEW-CHANGEs during VIEW_CHANGE, else their prepares or commits for the lowest "
                                    + "undelivered sequence (why consensus is stuck, if it is)")
                            List<Integer> missingForQuorum) {

    /** Another replica as this one sees it. */
    @Schema(name = "Peer")
    public record Peer(int id, String url, boolean reachable,
                       @Schema(description = "HTTP version this replica's last message to the peer went over "
                               + "(HTTP/1.1 or HTTP/2; ledger.peer.http2 asks for HTTP/2); null before the first",
                               nullable = true)
                       String protocol,
                       @Schema(description = "This replica's sender to the peer: UP; FAILED when its last attempt "
                               + "hit an unexpected error (the sender goes on, the next success clears it); DEAD "
                               + "when its thread ended (the next message starts a new one). A peer is never "
                               + "reachable over a link that is not UP", allowableValues = {"UP", "FAILED", "DEAD"})
                       String link,
                       @Schema(description = "Unexpected errors the sender to the peer caught since start")
                       long linkFailures) {
    }

    static ConsensusView of(ConsensusInfo info) {
        List<Peer> peers = new ArrayList<>(info.peers().size());
        for (ConsensusInfo.PeerInfo p : info.peers()) {
            peers.add(new Peer(p.id(), p.url(), p.reachable(), p.protocol(), p.link(), p.linkFailures()));
        }
        return new ConsensusView(info.replicaId(), info.n(), info.f(), info.view(), info.primary(), info.status(),
                info.lastExecutedSequence(), info.height(), info.lowWatermark(), info.highWatermark(),
                info.pendingTransactions(), List.copyOf(peers), info.droppedMessages(), info.stableCheckpoint(),
                info.viewChangeTarget(), info.missingForQuorum());
    }
}
