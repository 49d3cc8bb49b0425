package io.pbftledger.node;

import java.util.List;
import java.util.Map;

/** A snapshot of this replica's consensus state, for operators. */
public record ConsensusInfo(int replicaId, int n, int f, long view, int primary, String status,
                            long lastExecutedSequence, long height, long lowWatermark, long highWatermark,
                            int pendingTransactions, List<PeerInfo> peers, Map<String, Long> droppedMessages,
                            long stableCheckpoint, long viewChangeTarget, List<Integer> missingForQuorum) {

    /** Another replica as this one sees it. */
    /** {@code protocol}: the HTTP version the last message to the peer went over, null before the first. */
    public record PeerInfo(int id, String url, boolean reachable, String protocol) {
        public PeerInfo(int id, String url, boolean reachable) {
            this(id, url, reachable, null);
        }
    }
}
