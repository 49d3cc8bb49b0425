package io.pbftledger.pbft.message;

import java.util.List;

/** A backup relays client requests to the primary. */
public record Forward(int replica, List<ClientRequest> requests) implements PbftMessage {
    public Forward {
        requests = List.copyOf(requests);
        Checks.notNegative(replica, "replica");
    }

    @Override
    public String toString() {
        return "Forward[r=" + replica + ", " + requests.size() + " requests]";
    }
}
