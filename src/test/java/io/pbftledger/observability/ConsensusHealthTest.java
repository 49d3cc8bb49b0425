package io.pbftledger.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.config.metrics.ConsensusHealth;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.pbft.core.ReplicaStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class ConsensusHealthTest {
    private static final ReplicaStatus NORMAL = status(ReplicaStatus.Status.NORMAL);

    private Throwable failure;
    private ReplicaStatus status = NORMAL;
    private List<ConsensusInfo.PeerInfo> peers = peers(true, true, true);
    private final Set<Integer> answering = new HashSet<>();
    private final ConsensusHealth health = new ConsensusHealth(() -> failure, () -> status, () -> peers,
            peer -> answering.contains(peer.id()));

    private static ReplicaStatus status(ReplicaStatus.Status s) {
        return new ReplicaStatus(0, 4, 1, 2, 2, s, 10, 0, 200, 0, 0);
    }

    private static List<ConsensusInfo.PeerInfo> peers(boolean one, boolean two, boolean three) {
        return List.of(new ConsensusInfo.PeerInfo(1, "http://p1", one), new ConsensusInfo.PeerInfo(2, "http://p2", two),
                new ConsensusInfo.PeerInfo(3, "http://p3", three));
    }

    @Test
    void aReplicaInNormalOperationWithAllPeersReachableIsUp() {
        Health h = health.health();

        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("view", 2L).containsEntry("status", "NORMAL").containsEntry("quorum", 3);
    }

    @Test
    void twoReachablePeersAndThisReplicaAreAQuorum() {
        peers = peers(true, false, true);

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void withOnlyOneReachablePeerTheReplicaIsDown() {
        peers = peers(false, false, true);

        Health h = health.health();

        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails().get("reason").toString()).contains("only 2 of the 3");
    }

    @Test
    void anIdlePeerThatAnswersItsLivenessProbeCounts() {
        peers = peers(false, false, true);
        answering.add(2);

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aPeerThatAnswersButThatThisReplicasSenderCannotReachDoesNotCount() {
        peers = List.of(new ConsensusInfo.PeerInfo(1, "http://p1", false, null, "FAILED", 1),
                new ConsensusInfo.PeerInfo(2, "http://p2", false, null, "DEAD", 1),
                new ConsensusInfo.PeerInfo(3, "http://p3", true));
        answering.add(1);
        answering.add(2);

        Health h = health.health();

        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails().get("peers").toString()).contains("unreachable=[1, 2]");
    }

    @Test
    void aReplicaInStateTransferIsDown() {
        status = status(ReplicaStatus.Status.STATE_TRANSFER);

        Health h = health.health();

        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails().get("reason").toString()).contains("state transfer");
    }

    @Test
    void aFailedConsensusThreadIsDownWhateverThePeers() {
        failure = new IllegalStateException("boom");

        Health h = health.health();

        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails().get("reason").toString()).contains("boom");
    }

    @Test
    void aViewChangeWithAQuorumReachableStaysUp() {
        status = status(ReplicaStatus.Status.VIEW_CHANGE);

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
