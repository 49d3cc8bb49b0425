package io.pbftledger.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Status;
import io.pbftledger.pbft.message.ViewChange;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code pbft.messages.received{type}}: authenticated peer messages handed to the consensus thread,
 * by type. With {@code pbft.blocks.committed} it gives messages (so signature checks) per block, the
 * figure that says whether batching amortises the protocol's cost (see BENCHMARKS.md).
 * {@code pbft.peer.received.bytes}: bodies of peer requests that decoded, so bytes between replicas
 * per committed transaction (each transaction's bytes should reach each replica once).
 */
@Component
public class PeerTraffic {
    private final Map<Class<?>, Counter> received;
    private final Counter receivedBytes;

    public PeerTraffic(MeterRegistry registry) {
        this.receivedBytes = Counter.builder("pbft.peer.received.bytes").baseUnit("bytes")
                .description("bytes of peer-message request bodies that decoded").register(registry);
        this.received = Map.of(
                PrePrepare.class, counter(registry, "pre-prepare"),
                Prepare.class, counter(registry, "prepare"),
                Commit.class, counter(registry, "commit"),
                Checkpoint.class, counter(registry, "checkpoint"),
                Forward.class, counter(registry, "forward"),
                ViewChange.class, counter(registry, "view-change"),
                NewView.class, counter(registry, "new-view"),
                Status.class, counter(registry, "status"));
    }

    private static Counter counter(MeterRegistry registry, String type) {
        return Counter.builder("pbft.messages.received").tag("type", type)
                .description("authenticated peer messages handed to the consensus thread").register(registry);
    }

    void receivedBody(int bytes) {
        receivedBytes.increment(bytes);
    }

    void received(PbftMessage message) {
        Counter counter = received.get(message.getClass());
        if (counter != null) {
            counter.increment();
        }
    }
}
