package io.pbftledger.transport;

import io.pbftledger.chain.Membership;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.node.PeerOutbox;
import io.pbftledger.pbft.fault.FaultInjector;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately faulty replica's outbox (ledger.fault-injection.*): every message, per destination,
 * goes through the {@link FaultInjector} the simulator uses too, and in {@code slow} mode is held for
 * the configured delay on a scheduler, never on the consensus thread.
 */
public final class FaultyPeerOutbox implements PeerOutbox {
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

    @Override
    public List<ConsensusInfo.PeerInfo> peers() {
        return honest.peers();
    }
}
