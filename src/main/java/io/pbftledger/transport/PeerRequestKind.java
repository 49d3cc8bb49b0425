package io.pbftledger.transport;

import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.List;
import java.util.Optional;

/**
 * What a peer request to {@code POST /pbft/messages} declares it carries ({@code X-Pbft-Kind}), which
 * decides how many body bytes the receiver accepts ({@link PeerBodyLimits}): the largest message in it.
 * {@code votes}: PREPARE, COMMIT, CHECKPOINT and STATUS only; {@code batch}: also PRE-PREPARE or
 * FORWARD (transactions in full); {@code view-change}: also VIEW-CHANGE or NEW-VIEW. A body must hold
 * a message of the kind it declares, so only view-change traffic gets the large limit.
 */
public enum PeerRequestKind {
    VOTES(1, "votes"),
    BATCH(2, "batch"),
    VIEW_CHANGE(3, "view-change");

    private final int code;
    private final String header;

    PeerRequestKind(int code, String header) {
        this.code = code;
        this.header = header;
    }

    /** The byte that stands for this kind in a request signature. */
    public int code() {
        return code;
    }

    /** The {@code X-Pbft-Kind} value. */
    public String header() {
        return header;
    }

    /** The kind a request holding only {@code message} declares. */
    public static PeerRequestKind of(PbftMessage message) {
        if (message instanceof ViewChange || message instanceof NewView) {
            return VIEW_CHANGE;
        }
        if (message instanceof PrePrepare || message instanceof Forward) {
            return BATCH;
        }
        return VOTES;
    }

    /** The kind of a request holding {@code messages}: that of its largest kind of message ({@code votes} when empty). */
    public static PeerRequestKind of(List<? extends Signed<?>> messages) {
        PeerRequestKind kind = VOTES;
        for (Signed<?> s : messages) {
            PeerRequestKind k = of(s.message());
            if (k.compareTo(kind) > 0) {
                kind = k;
            }
        }
        return kind;
    }

    /** The kind an {@code X-Pbft-Kind} value names; empty for anything else. */
    public static Optional<PeerRequestKind> parse(String header) {
        for (PeerRequestKind kind : values()) {
            if (kind.header.equals(header)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** The values {@code X-Pbft-Kind} accepts, for messages. */
    static String accepted() {
        return "votes, batch or view-change";
    }
}
