package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;

/** Output collected between two {@link Replica#ready()} calls, in production order. */
final class ReadyBuffer {
    private List<Outbound> messages = new ArrayList<>();
    private List<Signed<? extends PbftMessage>> persist = new ArrayList<>();
    private List<CommittedBatch> committed = new ArrayList<>();
    private List<StableCheckpoint> stable = new ArrayList<>();

    void send(int to, Signed<? extends PbftMessage> message) {
        messages.add(new Outbound(to, message));
    }

    void broadcast(Signed<? extends PbftMessage> message) {
        messages.add(new Outbound(Outbound.BROADCAST, message));
    }

    /** Must reach durable storage before any message of the same Ready is sent. */
    void persist(Signed<? extends PbftMessage> message) {
        persist.add(message);
    }

    void committed(CommittedBatch batch) {
        committed.add(batch);
    }

    void stable(StableCheckpoint checkpoint) {
        stable.add(checkpoint);
    }

    boolean isEmpty() {
        return messages.isEmpty() && persist.isEmpty() && committed.isEmpty() && stable.isEmpty();
    }

    Ready drain() {
        Ready ready = new Ready(messages, persist, committed, stable);
        messages = new ArrayList<>();
        persist = new ArrayList<>();
        committed = new ArrayList<>();
        stable = new ArrayList<>();
        return ready;
    }
}
