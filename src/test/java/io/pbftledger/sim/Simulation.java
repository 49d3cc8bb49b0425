package io.pbftledger.sim;

import io.pbftledger.config.LedgerProperties;
import io.pbftledger.config.PeerBodyLimit;
import io.pbftledger.transport.PeerBodyLimits;
import io.pbftledger.transport.PeerRequestKind;
import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
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

/**
 * A deterministic cluster run: one seeded Random drives configuration, clients, network delay, loss,
 * duplication and reordering; time is simulated. Every message goes through the real codec and a
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
    private long messagesSent;
    private long messagesLost;
    private long messagesOversized;
    private long malformed;
    private long forgedRejected;
    private long catchUps;

    Simulation(long seed, FaultProfile profile) {
        this.rnd = new Random(seed);
        this.cfg = SimConfig.random(seed, profile, rnd);
        this.wireLimits = wireLimits(cfg);
        this.limits = codecLimits(cfg);
        this.requests = SimClients.generate(cfg, rnd);
        this.clockOffsetMs = new long[cfg.n()];
        init();
    }

    Simulation(SimConfig cfg) {
        this.rnd = new Random(cfg.seed());
        this.cfg = cfg;
        this.wireLimits = wireLimits(cfg);
        this.limits = codecLimits(cfg);
        this.requests = SimClients.generate(cfg, rnd);
        this.clockOffsetMs = new long[cfg.n()];
        init();
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
        for (int i = 0; i < cfg.n(); i++) {
            nodes.add(new SimNode(i, cfg.replica(), safety));
            Behaviour b = cfg.behaviours().get(i);
            injectors.add(b.faulty() ? new FaultInjector(b.mode, i, cfg.n(), cfg.slowDelayMs(), FakeCrypto.DOMAIN,
                    FakeCrypto.signer(i)::sign) : null);
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

    SimResult run() {
        for (SimNode node : nodes) {
            queue.at(rnd.nextInt((int) TICK_MS), () -> tick(node));
        }
        for (SimClients.Request r : requests) {
            queue.at(r.submitAtMs(), () -> submit(r, nodes.get(rnd.nextInt(nodes.size()))));
        }
        for (SimConfig.Crash crash : cfg.crashes()) {
            SimNode victim = nodes.get(crash.node());
            queue.at(crash.atMs(), () -> {
                if (crash.midReady() && !victim.crashed) {
                    victim.crashInNextReady = crash;
                } else {
                    victim.crash();
                }
            });
            queue.at(crash.restartAtMs(), () -> {
                if (!victim.crashed) {
                    victim.crash(); // it never produced the Ready it was to crash in, or crashed and restarted already
                }
                victim.restart();
                victim.pump(o -> send(victim.id, o), rnd);
            });
        }
        long deadline = Math.max(cfg.healAtMs(), cfg.submitUntilMs()) + cfg.livenessBoundMs();
        long nextCheck = 0;
        while (queue.runNext(deadline)) {
            if (!safety.violations().isEmpty()) {
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
                ? LivenessChecker.missing(safety, honest(), requests) : List.of();
        return new SimResult(cfg, queue.now(), executedBatches, messagesSent, messagesLost, forgedRejected,
                catchUps, maxRetained, List.copyOf(safety.violations()), missing,
                nodes.stream().map(SimNode::describe).toList(),
                nodes.stream().filter(n -> !n.crashed).mapToLong(n -> n.replica.status().view()).max().orElse(0),
                nodes.stream().mapToInt(n -> n.restarts).sum(),
                nodes.stream().mapToLong(n -> n.duplicatesSkipped).sum(), messagesOversized, malformed);
    }

    private List<Integer> honest() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < cfg.n(); i++) {
            if (!cfg.behaviours().get(i).faulty()) {
                ids.add(i);
            }
        }
        return ids;
    }

    private boolean allExecuted() {
        for (int id : honest()) {
            if (nodes.get(id).executedRequests < requests.size()) {
                return false;
            }
        }
        return true;
    }

    /** A client sends to one replica; on timeout, to all of them, until f+1 replicas executed it. */
    private void submit(SimClients.Request r, SimNode first) {
        if (!first.crashed) {
            first.replica.submit(r.request());
            first.pump(o -> send(first.id, o), rnd);
        }
        queue.after(cfg.clientTimeoutMs(), () -> retry(r));
    }

    private void retry(SimClients.Request r) {
        int executedBy = 0;
        for (SimNode node : nodes) {
            executedBy += safety.executed(node.id, r.clientId(), r.nonce()) ? 1 : 0;
        }
        if (executedBy >= cfg.replica().f() + 1) {
            return;
        }
        for (SimNode node : nodes) {
            if (!node.crashed) {
                node.replica.submit(r.request());
                node.pump(o -> send(node.id, o), rnd);
            }
        }
        queue.after(cfg.clientTimeoutMs(), () -> retry(r));
    }

    private void tick(SimNode node) {
        if (!node.crashed) {
            node.replica.tick(queue.now() + clockOffsetMs[node.id]);
            maybeCatchUp(node);
            node.pump(o -> send(node.id, o), rnd);
        }
        queue.after(TICK_MS, () -> tick(node));
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
                transmit(from, to, out.message(), honestBytes, 0);
            } else {
                for (Signed<? extends PbftMessage> s : injector.outgoing(to, out.message())) {
                    transmit(from, to, s, MessageCodec.encode(s), injector.delayMs());
                }
            }
        }
    }

    private void transmit(int from, int to, Signed<? extends PbftMessage> message, byte[] bytes, long extraDelayMs) {
        messagesSent++;
        // alone in a request: its u32 length and the body's u32 count around it
        if (WIRE_LIMIT && 8L + bytes.length > wireLimits.forKind(PeerRequestKind.of(message.message()))) {
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

    /** What the driver does before step: decode, check the sender's signature and the requests. */
    boolean deliver(int from, int to, byte[] bytes) {
        Signed<?> s;
        try {
            s = MessageCodec.decode(bytes, limits);
        } catch (io.pbftledger.pbft.message.MessageFormatException e) {
            malformed++; // the endpoint answers 400: the message is lost (over HTTP, with the body it was packed in)
            return false;
        }
        if (s.message().replica() != from || !FakeCrypto.verify(s) || !requestsValid(s.message())) {
            forgedRejected++;
            return false;
        }
        SimNode node = nodes.get(to);
        if (node.crashed) {
            return false;
        }
        node.replica.step(s);
        node.pump(o -> send(to, o), rnd);
        return true;
    }

    private static boolean requestsValid(PbftMessage m) {
        List<ClientRequest> list = m instanceof PrePrepare p ? p.batch()
                : m instanceof Forward f ? f.requests() : List.of();
        for (ClientRequest r : list) {
            if (!FakeCrypto.validRequest(r)) {
                return false;
            }
        }
        return true;
    }

    /**
     * State transfer stand-in: a replica behind a checkpoint fetches committed batches with their
     * commit certificates from a random peer, checks the signatures and hands them to the core.
     */
    private void maybeCatchUp(SimNode node) {
        OptionalLong target = node.replica.catchUpTarget();
        if (target.isEmpty()) {
            node.behindSinceMs = -1;
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
        int peer = (node.id + 1 + rnd.nextInt(cfg.n() - 1)) % cfg.n();
        boolean lost = lost() || cfg.behaviours().get(peer) == Behaviour.SILENT;
        queue.after(2 * delay(), () -> {
            node.fetching = false;
            if (!lost && !node.crashed) {
                fetchFrom(node, nodes.get(peer), target.getAsLong());
            }
        });
    }

    private void fetchFrom(SimNode node, SimNode peer, long target) {
        catchUps++;
        while (node.replica.lastDeliveredSequence() < target) {
            long before = node.replica.lastDeliveredSequence();
            CommittedBatch batch = peer.stored(before + 1);
            if (batch == null || !certificateSigned(batch)) {
                return;
            }
            node.replica.deliverCertified(batch);
            node.pump(o -> send(node.id, o), rnd);
            if (node.crashed) {
                return;
            }
            if (node.replica.lastDeliveredSequence() == before) {
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
