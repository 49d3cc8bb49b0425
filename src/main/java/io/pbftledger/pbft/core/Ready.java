package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;

/**
 * Everything the replica produced since the last {@link Replica#advance(Ready)}. The driver may call
 * advance at once and do the rest later, but in this order and in the order of the Readies: persist
 * {@code persist} (durably), then send {@code messages}, then execute {@code committed} in sequence
 * order, reporting each with {@link Replica#executed} (docs/design.md, "The replica pipeline").
 *
 * <p>{@code persist} is the replica's journal: the pre-prepares, prepares, commits, VIEW-CHANGEs and
 * NEW-VIEWs it sent or accepted, and the others' prepares that make up a prepared certificate (so a
 * restarted replica can still prove what prepared). Give it back, in order, in
 * {@link RecoveredState#journal()}; entries for sequences at or below the newest stable checkpoint
 * may be dropped, except the last VIEW-CHANGE and the last NEW-VIEW.
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
