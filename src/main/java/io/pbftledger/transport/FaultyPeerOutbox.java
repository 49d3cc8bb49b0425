package io.pbftledger.transport;

import io.pbftledger.chain.Membership;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.node.PeerOutbox;
import io.pbftledger.pbft.fault.FaultInjector;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.MessageCodec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately faulty replica's outbox (ledger.fault-injection.*): every message, per destination,
 * goes through the {@link FaultInjector} the simulator uses too, and in {@code slow} mode is held for
 * the configured delay on a scheduler, never on the consensus thread.
 *
 * <p>In {@code replay-flood} mode a loop on that scheduler re-sends what
 * {@link FaultInjector#replayable()} kept, cycling through it: every {@value #FLOOD_PERIOD_MS} ms
 * at most {@value #FLOOD_MESSAGES_PER_ROUND} messages and {@value #FLOOD_BYTES_PER_ROUND} bytes to
 * each peer (so at most 2,000 messages and 8 MB a second per peer), and only while that peer's send
 * queue holds fewer than {@value #FLOOD_QUEUE_MAX_MESSAGES} messages: the flood goes as fast as the
 * links take it without pushing the replica's own protocol messages out of its queues, and the
 * machine running it survives.
 */
public final class FaultyPeerOutbox implements PeerOutbox {
    static final long FLOOD_PERIOD_MS = 10;
    static final int FLOOD_MESSAGES_PER_ROUND = 20;
    static final int FLOOD_BYTES_PER_ROUND = 80 * 1024;
    static final int FLOOD_QUEUE_MAX_MESSAGES = 256;
    private final PeerOutbox honest;
    private final FaultInjector injector;
    private final Membership membership;
    private final int self;
    private final ScheduledExecutorService delayer;

    public FaultyPeerOutbox(PeerOutbox honest, FaultInjector injector, Membership membership, int self,
                            ScheduledExecutorService delayer) {
        this.honest = honest;
        this.injector = injector;
        this.membership = membership;
        this.self = self;
        this.delayer = delayer;
    }

    @Override
    public void send(int to, Signed<? extends PbftMessage> message) {
        List<Signed<? extends PbftMessage>> actual = injector.outgoing(to, message);
        long delay = injector.delayMs();
        for (Signed<? extends PbftMessage> m : actual) {
            if (delay > 0) {
                delayer.schedule(() -> honest.send(to, m), delay, TimeUnit.MILLISECONDS);
            } else {
                honest.send(to, m);
            }
        }
    }

    @Override
    public void broadcast(Signed<? extends PbftMessage> message) {
        for (int to = 0; to < membership.n(); to++) {
            if (to != self) {
                send(to, message);
            }
        }
    }

    /** Starts the {@code replay-flood} loop (call once, for that mode only). */
    public void startFlood() {
        delayer.scheduleWithFixedDelay(this::floodRound, FLOOD_PERIOD_MS, FLOOD_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private long floodPosition;

    private void floodRound() {
        try {
            List<Signed<? extends PbftMessage>> kept = injector.replayable();
            if (kept.isEmpty()) {
                return;
            }
            Map<Integer, Integer> depths = honest instanceof HttpPeerOutbox http ? http.queueDepths() : Map.of();
            for (int to = 0; to < membership.n(); to++) {
                if (to == self || depths.getOrDefault(to, 0) >= FLOOD_QUEUE_MAX_MESSAGES) {
                    continue;
                }
                long bytes = 0;
                for (int i = 0; i < FLOOD_MESSAGES_PER_ROUND && bytes < FLOOD_BYTES_PER_ROUND; i++) {
                    Signed<? extends PbftMessage> m = kept.get((int) Math.floorMod(floodPosition++, (long) kept.size()));
                    bytes += MessageCodec.encodedSizeEstimate(m);
                    honest.send(to, m);
                }
            }
        } catch (RuntimeException e) {
            // The loop must outlive one failed round (a peer queue closing at shutdown).
        }
    }

    @Override
    public List<ConsensusInfo.PeerInfo> peers() {
        return honest.peers();
    }
}
