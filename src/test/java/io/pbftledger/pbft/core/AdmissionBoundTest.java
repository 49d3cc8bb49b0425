package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.DELAY;
import static io.pbftledger.pbft.core.Fixture.K;
import static io.pbftledger.pbft.core.Fixture.N;
import static io.pbftledger.pbft.core.Fixture.RETRANSMIT;
import static io.pbftledger.pbft.core.Fixture.VIEW_CHANGE_TIMEOUT;
import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static io.pbftledger.pbft.core.Fixture.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.testing.Generators;
import io.pbftledger.testing.PropertyRuns;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Admission backpressure in the core: each replica accepts at most M unexecuted requests (its
 * mempool), and the primary queues n·M forwarded ones, so no request an honest replica accepted is
 * ever refused or displaced; only a replica forwarding more than that loses (counted) requests.
 */
class AdmissionBoundTest {

    private static ReplicaConfig config(int id, int proposalQueueMaxRequests) {
        return Fixture.config(id).withProposalQueueMaxRequests(proposalQueueMaxRequests);
    }

    private static Digest stateAt(long sequence) {
        return Digest.sha256(ByteBuffer.allocate(8).putLong(sequence).array());
    }

    /**
     * The primary (replica 0) with scripted backups 1 and 2 that vote for everything it proposes, and
     * what the test knows about who accepted what. A replica's mempool slot frees when the request
     * executes, as in the node.
     */
    private static final class Cluster {
        final Fixture fx = new Fixture();
        final Replica primary;
        /** Per replica: requests it accepted that have not executed yet (its mempool). */
        final List<Set<RequestKey>> outstanding = new ArrayList<>();
        final Map<RequestKey, ClientRequest> accepted = new HashMap<>();
        /** Every proposed request, by the sequence of its first pre-prepare. */
        final Map<RequestKey, Long> proposed = new HashMap<>();
        final TreeMap<Long, PrePrepare> proposals = new TreeMap<>();
        final ArrayDeque<PrePrepare> uncommitted = new ArrayDeque<>();
        final Map<String, Long> nonces = new HashMap<>();
        long now = 1_000;

        Cluster(int proposalQueueMaxRequests) {
            primary = new Replica(config(0, proposalQueueMaxRequests), Fixture.DOMAIN, Fixture.signer(0), Fixture.verifier(),
                    fx.executedRequests, RecoveredState.fresh());
            for (int r = 0; r < N; r++) {
                outstanding.add(new LinkedHashSet<>());
            }
            primary.tick(now);
        }

        ClientRequest next(String client) {
            long nonce = nonces.merge(client, 1L, Long::sum);
            return request(client, nonce);
        }

        int room(int replica, int mempoolMax) {
            return mempoolMax - outstanding.get(replica).size();
        }

        /** Replica {@code r} accepted these requests: the primary takes them itself, a backup forwards them. */
        void accept(int r, List<ClientRequest> requests) {
            for (ClientRequest q : requests) {
                accepted.put(RequestKey.of(q), q);
                outstanding.get(r).add(RequestKey.of(q));
            }
            if (r == 0) {
                requests.forEach(primary::submit);
                settle();
            } else {
                forward(r, requests);
            }
        }

        void forward(int from, List<ClientRequest> requests) {
            primary.step(signed(new Forward(from, requests)));
            settle();
        }

        void tick(long millis) {
            now += millis;
            primary.tick(now);
            settle();
        }

        /** Backups 1 and 2 prepare and commit the oldest uncommitted proposal. */
        void commitNext() {
            PrePrepare pp = uncommitted.poll();
            if (pp == null) {
                return;
            }
            for (int r = 1; r <= 2; r++) {
                primary.step(Fixture.prepare(r, 0, pp.sequence(), pp.batchDigest()));
            }
            for (int r = 1; r <= 2; r++) {
                primary.step(Fixture.commit(r, 0, pp.sequence(), pp.batchDigest()));
            }
            settle();
        }

        /** Handles Readies as a driver does: records proposals, executes what committed, checkpoints. */
        void settle() {
            while (primary.hasReady()) {
                Ready ready = drain(primary);
                for (PrePrepare pp : sent(ready, PrePrepare.class)) {
                    if (proposals.putIfAbsent(pp.sequence(), pp) != null) {
                        continue; // retransmitted
                    }
                    uncommitted.add(pp);
                    for (ClientRequest q : pp.batch()) {
                        Long before = proposed.putIfAbsent(RequestKey.of(q), pp.sequence());
                        assertThat(before).as("%s proposed again at %d", RequestKey.of(q), pp.sequence()).isNull();
                    }
                }
                for (CommittedBatch batch : ready.committed()) {
                    for (ClientRequest q : batch.requests()) {
                        fx.executed.add(q.clientId() + "#" + q.nonce());
                        outstanding.forEach(s -> s.remove(RequestKey.of(q)));
                    }
                    primary.executed(batch.sequence(), stateAt(batch.sequence()));
                    if (batch.sequence() % K == 0) {
                        for (int r = 1; r <= 2; r++) {
                            primary.step(Fixture.checkpoint(r, batch.sequence(), stateAt(batch.sequence())));
                        }
                    }
                }
            }
        }

        /** Ticks and commits until every accepted request executed (or gives up). */
        void finish() {
            for (int i = 0; i < 2_000 && outstanding.stream().anyMatch(s -> !s.isEmpty()); i++) {
                tick(DELAY);
                commitNext();
            }
        }

        long dropped() {
            return drops(primary, DropReason.QUEUE_FULL) + drops(primary, DropReason.QUEUE_DISPLACED);
        }
    }

    @Test
    void noRequestAReplicaAcceptedWithinItsMempoolBoundIsEverRefusedOrDisplacedByThePrimary() {
        double[] fullest = {0};
        PropertyRuns.forAll(40, gen -> {
            int mempoolMax = gen.intBetween(1, 12);
            int clients = gen.intBetween(1, 4);
            Cluster c = new Cluster(N * mempoolMax);
            int mostQueued = 0;
            for (int step = 0; step < 400; step++) {
                int r = gen.intBetween(0, N - 1);
                int choice = gen.intBetween(0, 9);
                if (choice < 5) {
                    List<ClientRequest> fresh = new ArrayList<>();
                    for (int i = gen.intBetween(0, c.room(r, mempoolMax)); i > 0; i--) {
                        fresh.add(c.next("c" + gen.intBetween(0, clients - 1)));
                    }
                    if (!fresh.isEmpty()) {
                        c.accept(r, fresh);
                    }
                } else if (choice < 7) {
                    reforwardSomething(c, gen);
                } else if (choice < 8) {
                    c.commitNext();
                } else {
                    c.tick(gen.longBetween(0, 2 * DELAY));
                }
                mostQueued = Math.max(mostQueued, c.primary.status().pendingRequests());
                assertThat(c.dropped()).as("drops at step %d (M=%d)", step, mempoolMax).isZero();
            }
            c.finish();
            assertThat(c.proposed.keySet()).as("every accepted request is ordered exactly once")
                    .isEqualTo(c.accepted.keySet());
            fullest[0] = Math.max(fullest[0], mostQueued / (double) (N * mempoolMax));
        });
        assertThat(fullest[0]).as("some run filled the primary's queue to half of n·M (the window held it back)")
                .isGreaterThanOrEqualTo(0.5);
    }

    /** A backup sends a request some replica accepted again (retransmission, a timer-expiry share). */
    private static void reforwardSomething(Cluster c, Generators gen) {
        List<RequestKey> waiting = new ArrayList<>();
        c.outstanding.forEach(waiting::addAll);
        if (!waiting.isEmpty()) {
            RequestKey key = waiting.get(gen.intBetween(0, waiting.size() - 1));
            c.forward(gen.intBetween(1, N - 1), List.of(c.accepted.get(key)));
        }
    }

    @Test
    void aReplicaForwardingMoreThanAnyHonestOneCouldAcceptLosesOnlyItsOwnFloodAndItIsCounted() {
        int mempoolMax = 5;
        Cluster c = new Cluster(N * mempoolMax);
        List<ClientRequest> flooded = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            for (int r = 0; r < 3; r++) {
                List<ClientRequest> fresh = new ArrayList<>();
                for (int i = c.room(r, mempoolMax); i > 0; i--) {
                    fresh.add(c.next("honest" + r));
                }
                c.accept(r, fresh);
            }
            // Replica 3 is faulty: each round it forwards 100 requests of two colluding clients.
            List<ClientRequest> flood = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                flood.add(c.next("evil" + (i % 2)));
            }
            flooded.addAll(flood);
            c.forward(3, flood);
            assertThat(c.primary.status().pendingRequests())
                    .as("forwarded requests stay within n·M, plus what the primary accepted itself")
                    .isLessThanOrEqualTo(N * mempoolMax + mempoolMax);
            c.tick(DELAY);
            c.commitNext();
            c.commitNext();
        }
        c.finish();
        assertThat(c.proposed.keySet()).as("every request an honest replica accepted is ordered")
                .containsAll(c.accepted.keySet());
        assertThat(c.dropped()).as("the flood beyond the bound is counted").isPositive();
        assertThat(flooded.stream().filter(q -> c.proposed.containsKey(RequestKey.of(q))).count())
                .as("the faulty replica's requests still get a fair share").isPositive();
    }

    @Test
    void aBackupKeepsEveryRequestItAcceptedWhenAnotherReplicaFloodsItWithForwards() {
        Fixture fx = new Fixture();
        Replica backup = new Replica(config(1, 8), Fixture.DOMAIN, Fixture.signer(1), Fixture.verifier(), fx.executedRequests,
                RecoveredState.fresh());
        backup.tick(1_000);
        List<ClientRequest> own = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            own.add(request("mine", i));
            backup.submit(own.get(i - 1));
        }
        drain(backup);
        List<ClientRequest> flood = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            flood.add(request("x", i));
        }
        backup.step(signed(new Forward(2, flood)));

        assertThat(drops(backup, DropReason.RELAY_FULL)).as("forwards beyond the bound of 8").isEqualTo(42);
        drain(backup);
        // The first tick retransmitted (nothing relayed yet) and doubled the interval.
        backup.tick(1_000 + 2 * RETRANSMIT);
        Set<ClientRequest> again = new java.util.HashSet<>();
        sent(drain(backup), Forward.class).forEach(f -> again.addAll(f.requests()));
        Set<ClientRequest> kept = new java.util.HashSet<>(own);
        kept.addAll(flood.subList(42, 50));
        assertThat(again).as("re-forwarded to the primary: its own and the newest 8 forwarded").isEqualTo(kept);
    }

    @Test
    void aRelayedRequestIsForwardedAgainAfterHalfARequestTimerPeriodEvenWhileOtherBatchesCommit() {
        Fixture fx = new Fixture();
        Replica backup = fx.replica(1);
        backup.tick(1_000);
        drain(backup);
        ClientRequest mine = request("mine", 1);
        backup.submit(mine);
        assertThat(sent(drain(backup), Forward.class)).as("the first FORWARD, lost on the way").hasSize(1);

        // Others' batches commit every 200 ms: the retransmitter, which waits for a quiet interval, never runs.
        for (int seq = 1; seq <= 4; seq++) {
            long now = 1_000 + 200L * seq;
            backup.tick(now);
            Fixture.commitAt(backup, 1, seq, now, request("other", seq));
        }
        assertThat(backup.lastDeliveredSequence()).isEqualTo(4);
        backup.tick(1_000 + VIEW_CHANGE_TIMEOUT / 2 - 1);
        assertThat(sent(drain(backup), Forward.class)).as("not yet due").isEmpty();

        // Forwarded again before the request's own timer (a full timeout) would start a view change.
        backup.tick(1_000 + VIEW_CHANGE_TIMEOUT / 2);
        assertThat(sent(drain(backup), Forward.class)).singleElement()
                .satisfies(f -> assertThat(f.requests()).containsExactly(mine));
    }
}
