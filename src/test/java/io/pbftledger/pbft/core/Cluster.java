package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Replicas (four unless told) wired in memory for scripted scenarios: FIFO delivery, a filter that decides which
 * (to, message) pairs get through, crashes, and a driver per replica that executes committed
 * batches (state digest = hash chain of batch digests) and keeps the journal.
 */
final class Cluster {
    record Sent(int from, int to, Signed<? extends PbftMessage> message) {
    }

    final Fixture fx = new Fixture();
    final ReplicaSet set;
    final Replica[] replicas;
    final boolean[] down;
    final List<List<CommittedBatch>> executed = new ArrayList<>();
    final List<List<Signed<? extends PbftMessage>>> journals = new ArrayList<>();
    final List<Set<String>> executedKeys = new ArrayList<>();
    final List<Sent> log = new ArrayList<>();
    private final Digest[] state;
    /** The newest stable checkpoint each replica reported, as its driver stores it. */
    private final StableCheckpoint[] stable;
    /** The replica-set changes each replica was told of, as its driver records them. */
    private final List<List<RecoveredState.ReplicaSetChange>> changes = new ArrayList<>();
    private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();
    /** Which (to, message) deliveries happen; everything by default. */
    BiPredicate<Integer, Signed<? extends PbftMessage>> filter = (to, m) -> true;
    /** Which sends get through, judged by sender and receiver (a dead link, a primary starving a backup). */
    Predicate<Sent> links = s -> true;
    long now;

    Cluster() {
        this(Fixture.N);
    }

    /** {@code n} replicas (any n ≥ 4) with the fixture's settings otherwise. */
    Cluster(int n) {
        this(ReplicaSet.ofSize(n));
    }

    /**
     * The replicas of {@code set}, whose ids need not be 0..n−1; arrays are indexed by id, and an id
     * below the largest that is not a member stays down and empty.
     */
    Cluster(ReplicaSet set) {
        this(set, 0);
    }

    /** As {@link #Cluster(ReplicaSet)}, with room for replicas up to id {@code capacity} − 1 that may {@link #join}. */
    Cluster(ReplicaSet set, int capacity) {
        this.set = set;
        int size = Math.max(capacity, set.members().get(set.n() - 1) + 1);
        this.replicas = new Replica[size];
        this.down = new boolean[size];
        this.state = new Digest[size];
        this.stable = new StableCheckpoint[size];
        java.util.Arrays.fill(down, true);
        for (int i = 0; i < size; i++) {
            executed.add(new ArrayList<>());
            journals.add(new ArrayList<>());
            executedKeys.add(new HashSet<>());
            changes.add(new ArrayList<>());
        }
        for (int i : set.members()) {
            int id = i;
            down[i] = false;
            state[i] = Digest.ZERO;
            replicas[i] = new Replica(config(i), Fixture.DOMAIN, Fixture.signer(i), Fixture.verifier(),
                    (c, nonce) -> executedKeys.get(id).contains(c + "#" + nonce), RecoveredState.fresh());
        }
    }

    private ReplicaConfig config(int id) {
        return Fixture.config(id, set);
    }

    void submit(int to, ClientRequest... requests) {
        for (ClientRequest r : requests) {
            replicas[to].submit(r);
        }
        pump(to);
        run();
    }

    /** Every live replica's clock moves to {@code time}; messages flow until quiet. */
    void tickAll(long time) {
        now = time;
        for (int i = 0; i < replicas.length; i++) {
            if (!down[i] && replicas[i] != null) {
                replicas[i].tick(time);
                pump(i);
            }
        }
        run();
    }

    void crash(int id) {
        down[id] = true;
    }

    /** A restart from the durable state: executed sequence, its timestamp, and the journal. */
    void restart(int id) {
        List<CommittedBatch> done = executed.get(id);
        long last = done.isEmpty() ? 0 : done.get(done.size() - 1).sequence();
        long ts = done.isEmpty() ? 0 : done.get(done.size() - 1).timestamp();
        replicas[id] = new Replica(config(id), Fixture.DOMAIN, Fixture.signer(id), Fixture.verifier(),
                (c, nonce) -> executedKeys.get(id).contains(c + "#" + nonce),
                new RecoveredState(0, last, ts, null, journals.get(id)));
        down[id] = false;
    }

    /**
     * Starts replica {@code id}, not in the genesis set, as a replica that joins does: with the genesis
     * membership and, from state transfer, the chain up to {@code from}'s stable checkpoint and the
     * changes executed up to it.
     */
    void join(int id, int from) {
        StableCheckpoint checkpoint = stable[from];
        CommittedBatch last = executed.get(from).stream().filter(b -> b.sequence() <= checkpoint.sequence())
                .reduce((a, b) -> b).orElseThrow();
        executed.get(id).addAll(executed.get(from).stream().filter(b -> b.sequence() <= checkpoint.sequence()).toList());
        for (CommittedBatch b : executed.get(id)) {
            for (ClientRequest req : b.requests()) {
                executedKeys.get(id).add(req.clientId() + "#" + req.nonce());
            }
        }
        changes.get(id).addAll(changes.get(from));
        stable[id] = checkpoint;
        state[id] = checkpoint.stateDigest();
        replicas[id] = new Replica(config(id), Fixture.DOMAIN, Fixture.signer(id), Fixture.verifier(),
                (c, nonce) -> executedKeys.get(id).contains(c + "#" + nonce),
                new RecoveredState(0, checkpoint.sequence(), last.timestamp(), checkpoint, List.of())
                        .withReplicaSetChanges(changes.get(id)));
        down[id] = false;
    }

    /** The newest stable checkpoint replica {@code id} reported. */
    StableCheckpoint stableOf(int id) {
        return stable[id];
    }

    /** Each live member's driver executed a change of the set at {@code sequence}. */
    void replicaSetChanged(long sequence, ReplicaSet next) {
        for (int id : set.members()) {
            if (!down[id]) {
                replicas[id].replicaSetChanged(sequence, next);
                changes.get(id).add(new RecoveredState.ReplicaSetChange(sequence, next));
            }
        }
    }

    /** A restart from the durable state a driver keeps: stable checkpoint, executed changes, journal. */
    void restartFromStable(int id) {
        List<CommittedBatch> done = executed.get(id);
        long last = done.isEmpty() ? 0 : done.get(done.size() - 1).sequence();
        long ts = done.isEmpty() ? 0 : done.get(done.size() - 1).timestamp();
        replicas[id] = new Replica(config(id), Fixture.DOMAIN, Fixture.signer(id), Fixture.verifier(),
                (c, nonce) -> executedKeys.get(id).contains(c + "#" + nonce),
                new RecoveredState(0, last, ts, stable[id], journals.get(id)).withReplicaSetChanges(changes.get(id)));
        down[id] = false;
    }

    void run() {
        while (!inFlight.isEmpty()) {
            Sent s = inFlight.poll();
            if (down[s.to()] || !filter.test(s.to(), s.message()) || !links.test(s)) {
                continue;
            }
            replicas[s.to()].step(s.message());
            pump(s.to());
        }
    }

    void pump(int id) {
        Replica r = replicas[id];
        while (!down[id] && r.hasReady()) {
            Ready ready = r.ready();
            journals.get(id).addAll(ready.persist());
            for (StableCheckpoint checkpoint : ready.stableCheckpoints()) {
                stable[id] = checkpoint;
            }
            for (Outbound o : ready.messages()) {
                for (int to = 0; to < replicas.length; to++) {
                    if (to != id && replicas[to] != null && (o.isBroadcast() || o.to() == to)) {
                        Sent sent = new Sent(id, to, o.message());
                        log.add(sent);
                        inFlight.add(sent);
                    }
                }
            }
            for (CommittedBatch b : ready.committed()) {
                executed.get(id).add(b);
                for (ClientRequest req : b.requests()) {
                    executedKeys.get(id).add(req.clientId() + "#" + req.nonce());
                }
                state[id] = Digest.sha256(state[id].bytes(), b.batchDigest().bytes());
                r.executed(b.sequence(), state[id]);
            }
            r.advance(ready);
        }
    }

    CommittedBatch executedAt(int id, long sequence) {
        for (CommittedBatch b : executed.get(id)) {
            if (b.sequence() == sequence) {
                return b;
            }
        }
        return null;
    }

    <T extends PbftMessage> List<T> sentBy(int from, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Sent s : log) {
            if (s.from() == from && type.isInstance(s.message().message()) && !out.contains(s.message().message())) {
                out.add(type.cast(s.message().message()));
            }
        }
        return out;
    }
}
