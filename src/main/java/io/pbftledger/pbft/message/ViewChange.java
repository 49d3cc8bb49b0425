package io.pbftledger.pbft.message;

import java.util.ArrayList;
import java.util.List;

/**
 * VIEW-CHANGE(v+1, n, C, P) [4.4]: the sender moves to {@code newView}; {@code stableSequence} is its
 * last stable checkpoint, {@code checkpointProof} the 2f+1 signed CHECKPOINTs proving it (empty for
 * sequence 0), and {@code prepared} a prepared certificate for every sequence above it that
 * prepared here, in the highest view it prepared in, sorted by sequence. The pre-prepares in P
 * travel without their transactions ({@link #withoutBodies()}), as in Castro and Liskov's protocol.
 */
public record ViewChange(int replica, long newView, long stableSequence, List<Signed<Checkpoint>> checkpointProof,
        List<PreparedProof> prepared) implements PbftMessage {
    public ViewChange {
        checkpointProof = List.copyOf(checkpointProof);
        prepared = List.copyOf(prepared);
        Checks.notNegative(replica, "replica");
        Checks.notNegative(newView, "newView");
        Checks.notNegative(stableSequence, "stableSequence");
    }

    /** This view change with P's requests as references; same signing bytes, so the same signature. */
    public ViewChange withoutBodies() {
        List<PreparedProof> stripped = new ArrayList<>(prepared.size());
        for (PreparedProof p : prepared) {
            stripped.add(p.withoutBodies());
        }
        return new ViewChange(replica, newView, stableSequence, checkpointProof, stripped);
    }

    /** {@code signed} with {@link ViewChange#withoutBodies()} applied; the signature stays valid. */
    public static Signed<ViewChange> withoutBodies(Signed<ViewChange> signed) {
        return new Signed<>(signed.message().withoutBodies(), signed.signature());
    }

    @Override
    public String toString() {
        return "ViewChange[r=" + replica + ", v=" + newView + ", s=" + stableSequence + ", C="
                + checkpointProof.size() + ", P=" + prepared.size() + "]";
    }
}
