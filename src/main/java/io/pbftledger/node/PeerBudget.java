package io.pbftledger.node;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What each peer may make this replica do per second before the consensus thread: messages, bytes
 * of request bodies and signature checks (a VIEW-CHANGE or NEW-VIEW costs one per nested signature
 * not verified before). Traffic beyond a budget is dropped, and the caller counts the returned
 * reason. Bytes and signature checks are charged after the fact: a peer whose bucket still holds a
 * token may send one message larger than the burst (the largest NEW-VIEW the settings allow), and
 * then waits until the debt is paid. Peers are keyed by the replica id a message claims (with mutual
 * TLS the id its certificate names). Thread-safe.
 */
public final class PeerBudget {
    public static final String OVER_MESSAGES = "over_budget_messages";
    public static final String OVER_BYTES = "over_budget_bytes";
    public static final String OVER_SIGNATURES = "over_budget_signatures";

    /** Rates per second; 0 means unlimited. The burst of each is one second of its rate (at least 1). */
    public record Limits(long messagesPerSecond, long bytesPerSecond, long signatureChecksPerSecond) {
        public static final Limits UNLIMITED = new Limits(0, 0, 0);
    }

    private final TokenBuckets messages;
    private final TokenBuckets bytes;
    private final TokenBuckets signatureChecks;

    public PeerBudget(Limits limits, int peers, LongSupplier nanoClock) {
        this.messages = new TokenBuckets(limit(limits.messagesPerSecond()), peers, nanoClock);
        this.bytes = new TokenBuckets(limit(limits.bytesPerSecond()), peers, nanoClock);
        this.signatureChecks = new TokenBuckets(limit(limits.signatureChecksPerSecond()), peers, nanoClock);
    }

    public PeerBudget(Limits limits, int peers) {
        this(limits, peers, System::nanoTime);
    }

    public static PeerBudget unlimited() {
        return new PeerBudget(Limits.UNLIMITED, 1);
    }

    private static TokenBuckets.Limit limit(long perSecond) {
        return perSecond == 0 ? TokenBuckets.Limit.UNLIMITED : new TokenBuckets.Limit(perSecond, perSecond);
    }

    /** A request body of {@code length} bytes from {@code peer}; empty when admitted (and charged). */
    public Optional<String> body(int peer, long length) {
        String key = Integer.toString(peer);
        if (bytes.waitNanos(key) > 0) {
            return Optional.of(OVER_BYTES);
        }
        bytes.charge(key, length);
        return Optional.empty();
    }

    /** One message from {@code peer}; empty when admitted (and charged). */
    public Optional<String> message(int peer) {
        return messages.tryTake(Integer.toString(peer)) == 0 ? Optional.empty() : Optional.of(OVER_MESSAGES);
    }

    /** {@code checks} signature checks for a message of {@code peer}; empty when admitted (and charged). */
    public Optional<String> signatureChecks(int peer, int checks) {
        String key = Integer.toString(peer);
        if (checks == 0) {
            return Optional.empty();
        }
        if (signatureChecks.waitNanos(key) > 0) {
            return Optional.of(OVER_SIGNATURES);
        }
        signatureChecks.charge(key, checks);
        return Optional.empty();
    }
}
