package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.Objects;

/** A message to send to replica {@code to}, or to every other replica when {@code to == BROADCAST}. */
public record Outbound(int to, Signed<? extends PbftMessage> message) {
    public static final int BROADCAST = -1;

    public Outbound {
        Objects.requireNonNull(message, "message");
        Invariants.check(to >= BROADCAST, "bad destination " + to);
    }

    public boolean isBroadcast() {
        return to == BROADCAST;
    }
}
