package io.pbftledger.config.metrics;

import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.pbft.core.ReplicaStatus;
import io.pbftledger.pbft.message.Quorums;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of this replica for consensus: DOWN while the consensus thread has failed, while it is
 * in state transfer (its chain is behind), or when it cannot count a quorum (⌈(n+f+1)/2⌉, 2f+1 when n = 3f+1, itself included)
 * of replicas it heard from recently and can send to (a peer whose sender link is not UP counts as
 * unreachable). Peers the transport has not heard from (an idle cluster sends
 * nothing) are asked directly before they count as missing.
 */
public final class ConsensusHealth implements HealthIndicator {
    private final Supplier<Throwable> failure;
    private final Supplier<ReplicaStatus> status;
    private final Supplier<List<ConsensusInfo.PeerInfo>> peers;
    private final Predicate<ConsensusInfo.PeerInfo> answersNow;

    public ConsensusHealth(Supplier<Throwable> failure, Supplier<ReplicaStatus> status,
                           Supplier<List<ConsensusInfo.PeerInfo>> peers, Predicate<ConsensusInfo.PeerInfo> answersNow) {
        this.failure = failure;
        this.status = status;
        this.peers = peers;
        this.answersNow = answersNow;
    }

    @Override
    public Health health() {
        Throwable failed = failure.get();
        ReplicaStatus s = status.get();
        if (failed != null) {
            return Health.down().withDetail("reason", "the consensus thread stopped: " + failed).build();
        }
        Health.Builder details = Health.unknown().withDetail("view", s.view()).withDetail("status", s.status().name());
        if (s.status() == ReplicaStatus.Status.STATE_TRANSFER) {
            return details.down().withDetail("reason", "catching up by state transfer").build();
        }
        List<Integer> reachable = new ArrayList<>();
        List<Integer> unreachable = new ArrayList<>();
        for (ConsensusInfo.PeerInfo peer : peers.get()) {
            // A peer that answers is still lost to this replica when its sender to it does not work.
            (peer.linkUp() && (peer.reachable() || answersNow.test(peer)) ? reachable : unreachable).add(peer.id());
        }
        int quorum = new Quorums(s.n()).quorum();
        int heard = 1 + reachable.size();
        Map<String, Object> peerDetails = new TreeMap<>();
        peerDetails.put("reachable", reachable);
        peerDetails.put("unreachable", unreachable);
        details.withDetail("peers", peerDetails).withDetail("quorum", quorum);
        if (heard < quorum) {
            return details.down().withDetail("reason", "only " + heard + " of the " + quorum
                    + " replicas of a quorum (this one included) were heard from recently").build();
        }
        return details.up().build();
    }
}
