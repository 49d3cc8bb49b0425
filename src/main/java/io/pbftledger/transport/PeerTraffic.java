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
 */
@Component
public class PeerTraffic {
    private final Map<Class<?>, Counter> received;

    public PeerTraffic(MeterRegistry registry) {
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

    void received(PbftMessage message) {
        Counter counter = received.get(message.getClass());
        if (counter != null) {
            counter.increment();
        }
    }
}
