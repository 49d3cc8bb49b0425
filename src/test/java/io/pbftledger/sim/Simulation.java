package io.pbftledger.sim;

import io.pbftledger.config.LedgerProperties;
import io.pbftledger.config.PeerBodyLimit;
import io.pbftledger.transport.PeerBodyLimits;
import io.pbftledger.transport.PeerRequestKind;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.ReplicaSet;
import io.pbftledger.pbft.core.ReplicaStatus;
import io.pbftledger.pbft.fault.FaultInjector;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic cluster run: one seeded Random drives configuration, clients, network delay, loss,
 * duplication and reordering, another the nodes' staged drivers (fdatasync and execution latencies,
 * {@link SimPipeline}); time is simulated. Every message goes through the real codec and a
 * fake signature check, as the driver would do. Checkers stay outside the replicas.
 */
final class Simulation {
    private static final long TICK_MS = 10;
    /** What a replica's peer endpoint accepts: as {@code NodeConfiguration#peerEndpointLimits}, per simulated configuration. */
    private final MessageCodec.Limits limits;
    /**
     * A message whose encoding exceeds what a real replica accepts in one request of its kind ({@link PeerBodyLimit})
     * is dropped at its sender, as the HTTP transport does; none should be. On by default;
     * {@code -Dsim.wireLimit=false} turns it off. (Before view changes carried references, VIEW-CHANGE
     * and NEW-VIEW held whole batches, and with this limit the searches found view changes that could
     * never complete: BENCHMARKS.md, session 5.)
     */
    static final boolean WIRE_LIMIT = !"false".equals(System.getProperty("sim.wireLimit"));

    private final SimConfig cfg;
    private final PeerBodyLimits wireLimits;
    private final Random rnd;
    private final EventQueue queue = new EventQueue();
    private final SafetyChecker safety = new SafetyChecker();
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<SimClients.Request> requests;
    private final long[] clockOffsetMs;
    private final List<FaultInjector> injectors = new ArrayList<>();
    private final List<LyingCatchUp> liars = new ArrayList<>();
    private final CheckpointBound checkpointBound;
    private final Floods floods;
    private final Censorship censorship;
    private final PipelineStats pipelineStats = new PipelineStats();
    /** The stages' latencies: a generator of their own, so the network and clients draw as before. */
    private final Random pipelineRnd;
    private long relayedAccepted;
    private long fetchesRefused;
    /**
     * Whether catch-up checks that every fetched request's id names exactly its body, as the driver
     * does for every request that arrives. Only a test turns it off, to show what a lying server then
     * does to the stored blocks.
     */
    private boolean checkFetchedBodies = true;
    private long messagesSent;
    private long messagesLost;
    private long messagesOversized;
    private long malformed;
    private long forgedRejected;
    private long catchUps;

    Simulation(long seed, FaultProfile profile) {
        this.rnd = new Random(seed);
        this.pipelineRnd = new Random(seed * 0x94D049BB133111EBL + 11);
        this.cfg = SimConfig.random(seed, profile, rnd);
        this.wireLimits = wireLimits(cfg);
        this.limits = codecLimits(cfg);
        this.requests = SimClients.generate(cfg, rnd);
        this.clockOffsetMs = new long[cfg.n()];
        this.checkpointBound = new CheckpointBound(cfg.n(), cfg.replica().watermarkWindow(),
                cfg.replica().checkpointInterval());
        init();
        this.floods = new Floods(cfg, injectors);
        this.censorship = new Censorship(injectors);
    }

    Simulation(SimConfig cfg) {
        this.rnd = new Random(cfg.seed());
        this.pipelineRnd = new Random(cfg.seed() * 0x94D049BB133111EBL + 11);
        this.cfg = cfg;
        this.wireLimits = wireLimits(cfg);
        this.limits = codecLimits(cfg);
        this.requests = SimClients.generate(cfg, rnd);
        this.clockOffsetMs = new long[cfg.n()];
        this.checkpointBound = new CheckpointBound(cfg.n(), cfg.replica().watermarkWindow(),
                cfg.replica().checkpointInterval());
        init();
        this.floods = new Floods(cfg, injectors);
        this.censorship = new Censorship(injectors);
    }

    private static MessageCodec.Limits codecLimits(SimConfig cfg) {
        MessageCodec.Limits d = MessageCodec.Limits.DEFAULT;
        return new MessageCodec.Limits(d.maxMessages(), cfg.replica().batchMaxTransactions(), d.maxRequestBytes(),
                d.maxTotalBytes());
    }

    private static PeerBodyLimits wireLimits(SimConfig cfg) {
        return PeerBodyLimit.limits(cfg.replica().batchMaxBytes(), cfg.n(), cfg.replica().watermarkWindow(),
                cfg.replica().batchMaxTransactions(), LedgerProperties.defaults().peer().sendBatchMaxMessages());
    }

    private void init() {
        Set<String> censored = cfg.censoredClient() == null ? Set.of() : Set.of(cfg.censoredClient());
        for (int i = 0; i < cfg.n(); i++) {
            int id = i;
            nodes.add(new SimNode(i, cfg.replica(), safety, checkpointBound, out -> send(id, out), queue, pipelineRnd,
                    cfg.disk(), pipelineStats));
            Behaviour b = cfg.behaviours().get(i);
            injectors.add(b.faulty() ? new FaultInjector(b.mode, i, cfg.n(), cfg.slowDelayMs(), FakeCrypto.DOMAIN,
                    FakeCrypto.signer(i)::sign, censored) : null);
            liars.add(b == Behaviour.LYING_STATE_TRANSFER ? new LyingCatchUp() : null);
            clockOffsetMs[i] = cfg.maxClockOffsetMs() == 0 ? 0 : rnd.nextInt((int) cfg.maxClockOffsetMs() + 1);
        }
    }

    SimConfig config() {
        return cfg;
    }

    SafetyChecker safety() {
        return safety;
    }

    SimNode node(int id) {
        return nodes.get(id);
    }

    /** Test hook: catch-up without the body check (a driver that trusts request ids). */
    Simulation withoutFetchedBodyCheck() {
        checkFetchedBodies = false;
        return this;
    }

    SimResult run() {
        for (SimNode node : nodes) {
            queue.at(rnd.nextInt((int) TICK_MS), () -> tick(node));
        }
        if (changesSet()) {
            scheduleRemovals();
        }
        for (SimClients.Request r : requests) {
            queue.at(r.submitAtMs(), () -> submit(r, nodes.get(rnd.nextInt(nodes.size()))));
        }
        for (SimConfig.Crash crash : cfg.crashes()) {
            SimNode victim = nodes.get(crash.node());
            queue.at(crash.atMs(), () -> {
                if (victim.crashed) {
                    return; // down already (an overlapping crash)
                }
                if (crash.point() == SimConfig.CrashPoint.AT_TIME) {
                    victim.crashAtTime();
                } else {
                    victim.arm(crash.point());
                }
            });
            queue.at(crash.restartAtMs(), () -> {
                if (!victim.crashed) {
                    victim.crashAtRestart(); // its crash point never came, or it crashed and restarted already
                }
                victim.restart();
                victim.pump();
            });
        }
        long deadline = Math.max(cfg.healAtMs(), cfg.submitUntilMs()) + cfg.livenessBoundMs();
        long nextCheck = 0;
        while (queue.runNext(deadline)) {
            if (!safety.violations().isEmpty() || !checkpointBound.violations().isEmpty()) {
                break;
            }
            if (queue.now() >= nextCheck) {
                nextCheck = queue.now() + 100;
                if (queue.now() > cfg.submitUntilMs() + 20 && allExecuted()) {
                    break;
                }
            }
        }
        long executedBatches = nodes.stream().mapToLong(n -> n.executedSequence).max().orElse(0);
        int maxRetained = nodes.stream().mapToInt(n -> n.maxRetainedLog).max().orElse(0);
        List<String> missing = safety.violations().isEmpty()
                ? LivenessChecker.missing(safety, honest(), requests, cfg.censoredClient()) : List.of();
        long censoredRequests = requests.stream().filter(r -> r.clientId().equals(cfg.censoredClient())).count();
        SimResult.Attacks attacks = new SimResult.Attacks(relayedAccepted, floods.sent(),
                liars.stream().mapToLong(l -> l == null ? 0 : l.served()).sum(), fetchesRefused, censorship.withheld(),
                censoredRequests, checkpointBound.max(), checkpointBound.bound());
        return new SimResult(cfg, queue.now(), executedBatches, messagesSent, messagesLost, forgedRejected,
                catchUps, maxRetained, List.copyOf(safety.violations()), missing,
                nodes.stream().map(SimNode::describe).toList(),
                nodes.stream().filter(n -> !n.crashed).mapToLong(n -> n.replica.status().view()).max().orElse(0),
                nodes.stream().mapToInt(n -> n.restarts).sum(),
                nodes.stream().mapToLong(n -> n.duplicatesSkipped).sum(), messagesOversized, malformed,
                List.copyOf(checkpointBound.violations()), attacks, pipelineStats.snapshot());
    }

    /** The client id of the RECONFIG profile's replica-set changes. */
    static final String ADMIN = "admin";
    /** The admin requests sent (each executed once, besides the clients' requests). */
    private int adminRequests;
    /** A replica no change removes: whose executed changes say which set must stay live. */
    private int reference;

    private boolean changesSet() {
        return cfg.profile() == FaultProfile.RECONFIG || cfg.profile() == FaultProfile.REKEY;
    }

    /**
     * RECONFIG: one or two removals, and an add of each replica outside the genesis set, in a random
     * order at random times during the load; each a request from {@link #ADMIN} sent to every replica
     * ("set:" and the new member ids). Never below four replicas and never of the last genesis replica
     * (the one that may crash). An added replica has run from the start outside the set: it counts
     * checkpoints, catches up and must then execute everything like the others. Drawn from their own
     * generator, so other draws keep their run.
     */
    private void scheduleRemovals() {
        Random r = new Random(cfg.seed() * 0xBF58476D1CE4E5B9L + 13);
        List<Integer> members = new ArrayList<>(cfg.replica().members().members());
        List<Integer> spares = new ArrayList<>();
        for (int i = 0; i < cfg.n(); i++) {
            if (!members.contains(i)) {
                spares.add(i);
            }
        }
        int removals = cfg.replica().n() > 5 ? 1 + r.nextInt(2) : 1;
        List<Boolean> adds = new ArrayList<>();
        for (int i = 0; i < removals; i++) {
            adds.add(false);
        }
        for (int i = 0; i < spares.size(); i++) {
            adds.add(true);
        }
        java.util.Collections.shuffle(adds, r);
        if (cfg.profile() == FaultProfile.REKEY) {
            // null: a rotation, a new epoch of the same members, anywhere among the adds and removals
            int rotations = 1 + r.nextInt(3);
            for (int i = 0; i < rotations; i++) {
                adds.add(r.nextInt(adds.size() + 1), null);
            }
        }
        int keep = members.get(members.size() - 1);
        long at = 50;
        int c = 0;
        for (Boolean add : adds) {
            if (Boolean.FALSE.equals(add) && members.size() <= 4) {
                continue;
            }
            at += 100 + r.nextInt((int) Math.max(1, cfg.submitUntilMs() / 2));
            if (add == null) {
                // a rotation: the same members in a new epoch
            } else if (add) {
                members.add(spares.remove(0));
            } else {
                List<Integer> removable = members.stream().filter(id -> id != keep).toList();
                members.remove(removable.get(r.nextInt(removable.size())));
            }
            String body = "set:" + String.join(",", members.stream().sorted().map(String::valueOf).toList());
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            c++;
            ClientRequest change = new ClientRequest(ADMIN, c, FakeCrypto.requestId(ADMIN, c, bytes), bytes);
            adminRequests++;
            queue.at(at, () -> sendChange(change));
        }
        reference = keep;
    }

    /** Sends an admin request to every replica that is up, again after a client timeout until f+1 executed it. */
    private void sendChange(ClientRequest change) {
        sendToAllUntilExecuted(change, node -> node.replica.submit(change), () -> sendChange(change));
    }

    /**
     * Unless f+1 replicas executed {@code request}: {@code send} to every replica that is up, and
     * {@code again} after a client timeout.
     */
    private void sendToAllUntilExecuted(ClientRequest request, java.util.function.Consumer<SimNode> send, Runnable again) {
        int executedBy = 0;
        for (SimNode node : nodes) {
            executedBy += safety.executed(node.id, request.clientId(), request.nonce()) ? 1 : 0;
        }
        if (executedBy >= cfg.replica().f() + 1) {
            return;
        }
        for (SimNode node : nodes) {
            if (!node.crashed) {
                send.accept(node);
                node.pump();
            }
        }
        queue.after(cfg.clientTimeoutMs(), again);
    }

    /**
     * The honest replicas the liveness check waits for: those of the set the executed changes lead to
     * (as the replica that is never removed executed them; a change refused because the previous one
     * was still pending leaves its replica where it was).
     */
    private List<Integer> honest() {
        List<Integer> ids = new ArrayList<>();
        ReplicaSet last = changesSet() ? nodes.get(reference).lastSet() : null;
        for (int i = 0; i < cfg.n(); i++) {
            if (!cfg.behaviours().get(i).faulty() && (last == null || last.contains(i))) {
                ids.add(i);
            }
        }
        return ids;
    }

    private boolean allExecuted() {
        for (int id : honest()) {
            if (nodes.get(id).executedRequests < requests.size() + adminRequests) {
                return false;
            }
        }
        return true;
    }

    /** A client sends to one replica; on timeout, to all of them, until f+1 replicas executed it. */
    private void submit(SimClients.Request r, SimNode first) {
        if (!first.crashed) {
            censorship.submit(first, r.request());
            first.pump();
        }
        queue.after(cfg.clientTimeoutMs(), () -> retry(r));
    }

    private void retry(SimClients.Request r) {
        sendToAllUntilExecuted(r.request(), node -> censorship.submit(node, r.request()), () -> retry(r));
    }

    private void tick(SimNode node) {
        if (!node.crashed) {
            node.replica.tick(queue.now() + clockOffsetMs[node.id]);
            maybeCatchUp(node);
            node.pump();
            floods.tick(node.id, (from, to, bytes) -> transmit(from, to, bytes, 0));
        }
        queue.after(TICK_MS, () -> tick(node));
    }

    /** The request kind a message alone travels as, from its type byte (after "PBFT" and the version). */
    private static PeerRequestKind kindOf(byte[] wire) {
        byte type = wire.length > 5 ? wire[5] : 0;
        if (type == MessageCodec.TYPE_VIEW_CHANGE || type == MessageCodec.TYPE_NEW_VIEW) {
            return PeerRequestKind.VIEW_CHANGE;
        }
        if (type == MessageCodec.TYPE_PRE_PREPARE || type == MessageCodec.TYPE_FORWARD) {
            return PeerRequestKind.BATCH;
        }
        return PeerRequestKind.VOTES;
    }

    private boolean lost() {
        return queue.now() < cfg.healAtMs() && rnd.nextDouble() < cfg.lossRate();
    }

    private long delay() {
        return cfg.minDelayMs() + rnd.nextInt((int) (cfg.maxDelayMs() - cfg.minDelayMs() + 1));
    }

    private void send(int from, Outbound out) {
        FaultInjector injector = injectors.get(from);
        byte[] honestBytes = injector != null ? null : MessageCodec.encode(out.message());
        for (int to = 0; to < cfg.n(); to++) {
            if (to == from || (!out.isBroadcast() && out.to() != to)) {
                continue;
            }
            if (honestBytes != null) {
                transmit(from, to, honestBytes, 0);
            } else {
                for (Signed<? extends PbftMessage> s : injector.outgoing(to, out.message())) {
                    transmit(from, to, MessageCodec.encode(s), injector.delayMs());
                }
            }
        }
    }

    private void transmit(int from, int to, byte[] bytes, long extraDelayMs) {
        messagesSent++;
        // alone in a request: its u32 length and the body's u32 count around it
        if (WIRE_LIMIT && 8L + bytes.length > wireLimits.forKind(kindOf(bytes))) {
            messagesOversized++;
            return;
        }
        if (cfg.partition() != null && cfg.partition().separates(queue.now(), from, to)) {
            messagesLost++;
            return;
        }
        if (lost()) {
            messagesLost++;
            return;
        }
        int copies = queue.now() < cfg.healAtMs() && rnd.nextDouble() < cfg.duplicateRate() ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            queue.after(delay() + extraDelayMs, () -> deliver(from, to, bytes));
        }
    }

    /**
     * What the driver does before step: decode, check the signature of the replica the message names
     * and the requests. As at the real peer endpoint, that replica need not be the one that sent it:
     * a backup relays the primary's signed PRE-PREPARE to a peer that lacks it, and the primary's
     * signature makes the copy as good as the original. A message whose signature is not its named
     * replica's is refused, whoever sent it.
     */
    boolean deliver(int from, int to, byte[] bytes) {
        Signed<?> s;
        try {
            s = MessageCodec.decode(bytes, limits);
        } catch (io.pbftledger.pbft.message.MessageFormatException e) {
            malformed++; // the endpoint answers 400: the message is lost (over HTTP, with the body it was packed in)
            return false;
        }
        int signer = s.message().replica();
        if (signer < 0 || signer >= cfg.n() || !FakeCrypto.verify(s) || !requestsValid(s.message())) {
            forgedRejected++;
            return false;
        }
        SimNode node = nodes.get(to);
        if (node.crashed) {
            return false;
        }
        if (signer != from) {
            relayedAccepted++;
        }
        node.replica.step(censorship.incoming(node, s));
        node.pump();
        return true;
    }

    private static boolean requestsValid(PbftMessage m) {
        return requestsValid(m instanceof PrePrepare p ? p.batch()
                : m instanceof Forward f ? f.requests() : List.of());
    }

    private static boolean requestsValid(List<ClientRequest> list) {
        for (ClientRequest r : list) {
            if (!FakeCrypto.validRequest(r)) {
                return false;
            }
        }
        return true;
    }

    /**
     * State transfer stand-in: a replica behind a checkpoint fetches committed batches with their
     * commit certificates from a random peer, checks the signatures and that each request's id names
     * its body, and hands them to the core. A LYING_STATE_TRANSFER peer serves lies instead
     * ({@link LyingCatchUp}); the fetch stops at the first batch refused, and the next try may ask
     * another peer.
     */
    private void maybeCatchUp(SimNode node) {
        OptionalLong target = node.replica.catchUpTarget();
        if (target.isEmpty()) {
            node.behindSinceMs = -1;
            node.fetchAttempts = 0;
            return;
        }
        if (node.behindSinceMs < 0) {
            node.behindSinceMs = queue.now();
        }
        boolean stuck = node.replica.status().status() == ReplicaStatus.Status.STATE_TRANSFER;
        if (node.fetching || (!stuck && queue.now() - node.behindSinceMs < cfg.catchUpDelayMs())) {
            return;
        }
        node.fetching = true;
        int drawn = (node.id + 1 + rnd.nextInt(cfg.n() - 1)) % cfg.n();
        // A lying peer, if any, is asked first and then every other time (as if it came first in the
        // order a replica asks its peers): the others get their turns in between.
        int liar = liarOtherThan(node.id);
        int peer = liar >= 0 && node.fetchAttempts++ % 2 == 0 ? liar : drawn;
        boolean lost = lost() || cfg.behaviours().get(peer) == Behaviour.SILENT;
        queue.after(2 * delay(), () -> {
            node.fetching = false;
            if (!lost && !node.crashed) {
                fetchFrom(node, nodes.get(peer), target.getAsLong());
            }
        });
    }

    private int liarOtherThan(int self) {
        for (int i = 0; i < cfg.n(); i++) {
            if (i != self && liars.get(i) != null) {
                return i;
            }
        }
        return -1;
    }

    private void fetchFrom(SimNode node, SimNode peer, long target) {
        catchUps++;
        LyingCatchUp liar = liars.get(peer.id);
        if (liar != null) {
            liar.nextCatchUp();
        }
        while (node.replica.lastDeliveredSequence() < target) {
            long before = node.replica.lastDeliveredSequence();
            CommittedBatch batch = liar == null ? peer.stored(before + 1) : liar.batchAt(peer::stored, before + 1);
            if (batch == null) {
                return;
            }
            if (!certificateSigned(batch) || (checkFetchedBodies && !requestsValid(batch.requests()))) {
                fetchesRefused++;
                return;
            }
            node.replica.deliverCertified(batch);
            node.pump();
            if (node.crashed) {
                return;
            }
            if (node.replica.lastDeliveredSequence() == before) {
                fetchesRefused++;
                return;
            }
        }
    }

    private static boolean certificateSigned(CommittedBatch batch) {
        for (Signed<Commit> commit : batch.certificate()) {
            if (!FakeCrypto.verify(commit)) {
                return false;
            }
        }
        return true;
    }

    int maxRetainedLog() {
        return nodes.stream().mapToInt(n -> n.maxRetainedLog).max().orElse(0);
    }
}
