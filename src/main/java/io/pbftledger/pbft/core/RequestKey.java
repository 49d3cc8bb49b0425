package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;

/** The identity used for exactly-once: a client's nonce. */
record RequestKey(String clientId, long nonce) {
    static RequestKey of(ClientRequest r) {
        return new RequestKey(r.clientId(), r.nonce());
    }
}
