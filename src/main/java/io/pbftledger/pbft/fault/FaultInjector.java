package io.pbftledger.pbft.fault;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.pbft.message.ViewChange;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns what a correct replica would send to one destination into what a faulty replica of the
 * given {@link FaultMode} sends instead. Deterministic (no clock, no randomness: "random" choices
 * derive from a counter), so the simulator and real replicas behave alike. Rewritten messages are
 * re-signed with the replica's own key, exactly as a Byzantine replica could do.
 *
 * <p>Use: for every outgoing message and every destination (a broadcast expanded per peer), send
 * what {@link #outgoing} returns, after {@link #delayMs()}. Not thread-safe: one per replica, called
 * from the thread that sends.
 */
public final class FaultInjector {
    private static final int REPLAY_HISTORY_MAX = 1_000;
    /** VIEW-CHANGE and NEW-VIEW messages kept for REPLAY_FLOOD. */
    private static final int FLOOD_VIEW_MESSAGES_MAX = 16;
    /** FORWARD messages kept for REPLAY_FLOOD. */
    private static final int FLOOD_FORWARDS_MAX = 64;
    private final FaultMode mode;
    private final int self;
    private final int n;
    private final long delayMs;
    private final SigningDomain domain;
    private final FaultSigner signer;
    private final ArrayDeque<Signed<? extends PbftMessage>> history = new ArrayDeque<>();
    private final Set<String> censoredClients;
    private long counter;
    /** What REPLAY_FLOOD re-sends; read by the flood loop's thread, hence guarded by itself. */
    private final ArrayDeque<Signed<? extends PbftMessage>> floodViews = new ArrayDeque<>();
    private final ArrayDeque<Signed<? extends PbftMessage>> floodForwards = new ArrayDeque<>();

    public FaultInjector(FaultMode mode, int self, int n, long delayMs, SigningDomain domain, FaultSigner signer) {
        this(mode, self, n, delayMs, domain, signer, Set.of());
    }

    /** @param censoredClients the clients a {@link FaultMode#CENSORING_PRIMARY} never serves while primary */
    public FaultInjector(FaultMode mode, int self, int n, long delayMs, SigningDomain domain, FaultSigner signer,
                         Set<String> censoredClients) {
        this.censoredClients = Set.copyOf(censoredClients);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.signer = Objects.requireNonNull(signer, "signer");
        if (self < 0 || self >= n || delayMs < 0) {
            throw new IllegalArgumentException("bad fault injector: self=" + self + " n=" + n + " delayMs=" + delayMs);
        }
        this.self = self;
        this.n = n;
        this.delayMs = delayMs;
    }

    public FaultMode mode() {
        return mode;
    }

    /** How long the driver holds each outgoing message (SLOW), else 0. */
    public long delayMs() {
        return mode == FaultMode.SLOW ? delayMs : 0;
    }

    /** Whether the API must report wrong results to clients (WRONG_REPLIES). */
    public boolean reportsWrongResults() {
        return mode == FaultMode.WRONG_REPLIES;
    }

    /** Whether this replica, while primary, keeps the client's requests out of its batches (CENSORING_PRIMARY). */
    public boolean censors(String clientId) {
        return mode == FaultMode.CENSORING_PRIMARY && censoredClients.contains(clientId);
    }

    /** What actually goes to replica {@code to} instead of {@code message}: none, one or several messages. */
    public List<Signed<? extends PbftMessage>> outgoing(int to, Signed<? extends PbftMessage> message) {
        PbftMessage m = message.message();
        counter++;
        return switch (mode) {
            case SILENT -> List.of();
            case SLOW, WRONG_REPLIES, CENSORING_PRIMARY -> List.of(message);
            case LYING_STATE_TRANSFER -> List.of(message);
            case CHECKPOINT_FLOOD -> List.of(message); // the flood is sent beside, see CheckpointFlood
            case BAD_DIGEST_PRIMARY -> List.of(m instanceof PrePrepare pp && pp.replica() == self
                    ? resign(new PrePrepare(self, pp.view(), pp.sequence(), pp.timestamp(), bogus(pp.sequence()), pp.batch()))
                    : message);
            case BAD_DIGEST_PREPARES -> List.of(m instanceof Prepare p
                    ? resign(new Prepare(self, p.view(), p.sequence(), bogus(p.sequence())))
                    : message);
            case EQUIVOCATING_PRIMARY -> List.of(m instanceof PrePrepare pp && pp.replica() == self && to % 2 == 1
                    ? resign(equivocate(pp))
                    : message);
            case FORGED_VOTES -> forge(message);
            case REPLAYING -> replay(message);
            case REPLAY_FLOOD -> {
                keepForFlood(message);
                yield List.of(message);
            }
        };
    }

    private void keepForFlood(Signed<? extends PbftMessage> message) {
        PbftMessage m = message.message();
        if (m instanceof ViewChange || m instanceof NewView) {
            keep(floodViews, message, FLOOD_VIEW_MESSAGES_MAX);
        } else if (m instanceof Forward) {
            keep(floodForwards, message, FLOOD_FORWARDS_MAX);
        }
    }

    private static void keep(ArrayDeque<Signed<? extends PbftMessage>> kept, Signed<? extends PbftMessage> message,
                             int max) {
        synchronized (kept) {
            if (!kept.contains(message)) {
                kept.addLast(message);
                if (kept.size() > max) {
                    kept.removeFirst();
                }
            }
        }
    }

    /**
     * REPLAY_FLOOD: the VIEW-CHANGE and NEW-VIEW messages, then the FORWARDs, this replica sent (at most
     * the latest 16 and 64), oldest first, for a flood loop to re-send. Thread-safe.
     */
    public List<Signed<? extends PbftMessage>> replayable() {
        List<Signed<? extends PbftMessage>> out = new ArrayList<>();
        synchronized (floodViews) {
            out.addAll(floodViews);
        }
        synchronized (floodForwards) {
            out.addAll(floodForwards);
        }
        return out;
    }

    /** A digest that matches no batch, different per sequence. */
    private Digest bogus(long sequence) {
        return Digest.sha256(ByteBuffer.allocate(20).putInt(self).putLong(sequence).putLong(counter).array());
    }

    /** The same requests one millisecond later: a valid batch with another digest. */
    private PrePrepare equivocate(PrePrepare pp) {
        long ts = pp.timestamp() + 1;
        return new PrePrepare(self, pp.view(), pp.sequence(), ts, BatchDigest.ofRequests(ts, pp.batch()), pp.batch());
    }

    private List<Signed<? extends PbftMessage>> forge(Signed<? extends PbftMessage> message) {
        if (!(message.message() instanceof Commit c)) {
            return List.of(message);
        }
        int victim = (self + 1) % n;
        Commit fake = new Commit(victim, c.view(), c.sequence(), bogus(c.sequence()));
        // Signed with the forger's own key: the victim's key is not available to it.
        return List.of(message, new Signed<>(fake, signer.sign(MessageCodec.signingBytes(domain, fake))));
    }

    private List<Signed<? extends PbftMessage>> replay(Signed<? extends PbftMessage> message) {
        history.addLast(message);
        if (history.size() > REPLAY_HISTORY_MAX) {
            history.removeFirst();
        }
        List<Signed<? extends PbftMessage>> out = new ArrayList<>(List.of(message, message, message));
        int pick = (int) Math.floorMod(counter * 7_919L, (long) history.size());
        int i = 0;
        for (Signed<? extends PbftMessage> old : history) {
            if (i++ == pick) {
                out.add(old);
                break;
            }
        }
        return out;
    }

    private <T extends PbftMessage> Signed<T> resign(T m) {
        return new Signed<>(m, signer.sign(MessageCodec.signingBytes(domain, m)));
    }
}
