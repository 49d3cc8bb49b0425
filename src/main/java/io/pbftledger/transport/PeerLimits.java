package io.pbftledger.transport;

import java.util.function.IntFunction;

/**
 * The peer limits in force: sized for the largest replica set of the newest two epochs, because the
 * largest message, a NEW-VIEW, holds a quorum of VIEW-CHANGEs each with a checkpoint proof and
 * prepared certificates from n replicas, so it grows with the set. A replica-set change that grows
 * the set grows the limits (the endpoint, the in-flight budgets and the senders' packing) before the
 * new epoch starts; they never shrink while the process runs, since a larger set's messages may
 * still be on their way. The one owner of this state; thread-safe.
 */
public final class PeerLimits {
    private final IntFunction<PeerEndpointLimits> bySetSize;
    private volatile int setSize;
    private volatile PeerEndpointLimits current;

    /** Limits from {@code bySetSize}, for a set of {@code setSize} replicas now. */
    public PeerLimits(IntFunction<PeerEndpointLimits> bySetSize, int setSize) {
        this.bySetSize = bySetSize;
        this.setSize = setSize;
        this.current = bySetSize.apply(setSize);
    }

    /** Limits that never change (tests, tools). */
    public static PeerLimits fixed(PeerEndpointLimits limits) {
        return new PeerLimits(n -> limits, 1);
    }

    public PeerEndpointLimits current() {
        return current;
    }

    public PeerBodyLimits bodies() {
        return current.bodies();
    }

    /** The set size the limits are sized for. */
    public int setSize() {
        return setSize;
    }

    /** Sizes the limits for a set of {@code n} when that is larger than before; returns whether they grew. */
    public synchronized boolean grow(int n) {
        if (n <= setSize) {
            return false;
        }
        PeerEndpointLimits next = bySetSize.apply(n);
        current = next;
        setSize = n;
        return true;
    }
}
