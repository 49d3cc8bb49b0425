package io.pbftledger.sim;

import io.pbftledger.pbft.core.ReplicaStatus;
import io.pbftledger.pbft.fault.FaultInjector;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;

/**
 * The driver's side of CENSORING_PRIMARY (as ReplicaDriver#withheld): while a censoring node is
 * primary and not changing view, the censored client's requests never reach its core, whether a
 * client submits them or a backup forwards them.
 */
final class Censorship {
    private final List<FaultInjector> injectors;
    private long withheld;

    Censorship(List<FaultInjector> injectors) {
        this.injectors = injectors;
    }

    /** Hands a client's request to the node's core unless the node withholds it. */
    void submit(SimNode node, ClientRequest request) {
        if (withheld(node, request)) {
            withheld++;
            return;
        }
        node.replica.submit(request);
    }

    /** The message as the node's core gets it: a FORWARD without the requests it withholds. */
    Signed<? extends PbftMessage> incoming(SimNode node, Signed<?> s) {
        @SuppressWarnings("unchecked")
        Signed<? extends PbftMessage> message = (Signed<? extends PbftMessage>) s;
        if (!(s.message() instanceof Forward forward) || injectors.get(node.id) == null
                || forward.requests().stream().noneMatch(r -> withheld(node, r))) {
            return message;
        }
        // What the core reads of a FORWARD is its requests; the signature was checked on arrival.
        List<ClientRequest> kept = forward.requests().stream().filter(r -> !withheld(node, r)).toList();
        withheld += forward.requests().size() - kept.size();
        return new Signed<>(new Forward(forward.replica(), kept), s.signature());
    }

    private boolean withheld(SimNode node, ClientRequest request) {
        FaultInjector injector = injectors.get(node.id);
        if (injector == null || !injector.censors(request.clientId())) {
            return false;
        }
        ReplicaStatus status = node.replica.status();
        return status.primary() == node.id && status.status() != ReplicaStatus.Status.VIEW_CHANGE;
    }

    /** Requests kept from a censoring primary's core so far. */
    long withheld() {
        return withheld;
    }
}
