package io.pbftledger.node;

import java.util.List;
import java.util.Map;

/** A snapshot of this replica's consensus state, for operators. */
public record ConsensusInfo(int replicaId, int n, int f, long view, int primary, String status,
                            long lastExecutedSequence, long height, long lowWatermark, long highWatermark,
                            int pendingTransactions, List<PeerInfo> peers, Map<String, Long> droppedMessages,
                            long stableCheckpoint, long viewChangeTarget, List<Integer> missingForQuorum) {

    /**
     * Another replica as this one sees it. {@code protocol}: the HTTP version the last message to the
     * peer went over, null before the first. {@code link}: this replica's sender to the peer, UP,
     * FAILED (its last attempt hit an unexpected error; it goes on) or DEAD (its thread ended; the
     * next message starts a new one); {@code linkFailures}: unexpected errors it caught since start.
     */
    public record PeerInfo(int id, String url, boolean reachable, String protocol, String link, long linkFailures) {
        public static final String LINK_UP = "UP";

        public PeerInfo(int id, String url, boolean reachable) {
            this(id, url, reachable, null);
        }

        public PeerInfo(int id, String url, boolean reachable, String protocol) {
            this(id, url, reachable, protocol, LINK_UP, 0);
        }

        /** Whether this replica's sender to the peer works (a reachable peer can still be one it cannot send to). */
        public boolean linkUp() {
            return LINK_UP.equals(link);
        }
    }
}
