package io.pbftledger.sim;

import io.pbftledger.pbft.fault.CheckpointFlood;
import io.pbftledger.pbft.fault.FaultInjector;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;

/**
 * What the flooding modes send beside their honest messages every tick, as the production flood
 * loops do (at a lower, fixed rate): a CHECKPOINT_FLOOD node makes {@value #CHECKPOINT_FLOOD_PER_TICK}
 * new CHECKPOINTs and sends each to every peer; a REPLAY_FLOOD node re-sends what its
 * {@link FaultInjector#replayable()} kept, cycling, up to {@value #REPLAY_FLOOD_PER_TICK} messages and
 * {@value #REPLAY_FLOOD_BYTES_PER_TICK} bytes per peer.
 */
final class Floods {
    static final int CHECKPOINT_FLOOD_PER_TICK = 5;
    static final int REPLAY_FLOOD_PER_TICK = 5;
    static final long REPLAY_FLOOD_BYTES_PER_TICK = 80 * 1024;

    /** Where flood messages go: the simulated network, with its loss, delay and limits. */
    @FunctionalInterface
    interface Link {
        void transmit(int from, int to, byte[] bytes);
    }

    private final int n;
    private final List<Behaviour> behaviours;
    private final List<FaultInjector> injectors;
    private final List<CheckpointFlood> checkpointFloods = new ArrayList<>();
    private long replayPosition;
    private long sent;

    Floods(SimConfig cfg, List<FaultInjector> injectors) {
        this.n = cfg.n();
        this.behaviours = cfg.behaviours();
        this.injectors = injectors;
        for (int i = 0; i < n; i++) {
            checkpointFloods.add(behaviours.get(i) == Behaviour.CHECKPOINT_FLOOD
                    ? new CheckpointFlood(i, cfg.replica().checkpointInterval(), FakeCrypto.DOMAIN,
                            FakeCrypto.signer(i)::sign)
                    : null);
        }
    }

    /** One tick of node {@code from}'s flood, if it floods. */
    void tick(int from, Link link) {
        Behaviour b = behaviours.get(from);
        if (b == Behaviour.CHECKPOINT_FLOOD) {
            CheckpointFlood flood = checkpointFloods.get(from);
            for (int i = 0; i < CHECKPOINT_FLOOD_PER_TICK; i++) {
                byte[] bytes = MessageCodec.encode(flood.next());
                for (int to = 0; to < n; to++) {
                    if (to != from) {
                        sent++;
                        link.transmit(from, to, bytes);
                    }
                }
            }
        } else if (b == Behaviour.REPLAY_FLOOD) {
            List<Signed<? extends PbftMessage>> kept = injectors.get(from).replayable();
            if (kept.isEmpty()) {
                return;
            }
            for (int to = 0; to < n; to++) {
                if (to == from) {
                    continue;
                }
                long bytes = 0;
                for (int i = 0; i < REPLAY_FLOOD_PER_TICK && bytes < REPLAY_FLOOD_BYTES_PER_TICK; i++) {
                    byte[] encoded = MessageCodec.encode(kept.get((int) Math.floorMod(replayPosition++, (long) kept.size())));
                    bytes += encoded.length;
                    sent++;
                    link.transmit(from, to, encoded);
                }
            }
        }
    }

    /** Flood messages handed to the network so far. */
    long sent() {
        return sent;
    }
}
