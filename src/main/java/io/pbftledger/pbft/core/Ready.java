package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;

/**
 * Everything the replica produced since the last {@link Replica#advance(Ready)}. The driver must
 * persist {@code persist}, then send {@code messages}, then execute {@code committed} in order
 * (reporting each with {@link Replica#executed}), then call advance.
 */
public record Ready(List<Outbound> messages, List<Signed<? extends PbftMessage>> persist,
        List<CommittedBatch> committed, List<StableCheckpoint> stableCheckpoints) {
    public Ready {
        messages = List.copyOf(messages);
        persist = List.copyOf(persist);
        committed = List.copyOf(committed);
        stableCheckpoints = List.copyOf(stableCheckpoints);
    }

    public boolean isEmpty() {
        return messages.isEmpty() && persist.isEmpty() && committed.isEmpty() && stableCheckpoints.isEmpty();
    }
}
