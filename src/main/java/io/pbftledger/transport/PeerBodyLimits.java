package io.pbftledger.transport;

/**
 * The most body bytes one request to {@code POST /pbft/messages} may carry, by its declared
 * {@link PeerRequestKind}: the sender packs and splits its requests by them, the receiver refuses
 * a larger declared body with 413 before reading any of it. Each limit is at least the one before.
 *
 * @param votes      a request of votes (PREPARE, COMMIT, CHECKPOINT, STATUS): a full send batch of them
 * @param batch      a request with a PRE-PREPARE or FORWARD: one full batch with its framing
 * @param viewChange a request with a VIEW-CHANGE or NEW-VIEW: the largest NEW-VIEW the settings allow
 */
public record PeerBodyLimits(long votes, long batch, long viewChange) {
    public PeerBodyLimits {
        if (votes < 1 || batch < votes || viewChange < batch) {
            throw new IllegalArgumentException("body limits must be positive and not decrease with the kind: "
                    + votes + ", " + batch + ", " + viewChange);
        }
    }

    public long forKind(PeerRequestKind kind) {
        return switch (kind) {
            case VOTES -> votes;
            case BATCH -> batch;
            case VIEW_CHANGE -> viewChange;
        };
    }

    /** The largest body any request may carry. */
    public long largest() {
        return viewChange;
    }

    /** The most body bytes one peer may have in flight at this replica at once: one of each of the two largest kinds. */
    public long inFlightPerPeer() {
        return viewChange + batch;
    }
}
