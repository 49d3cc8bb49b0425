package io.pbftledger.pbft.message;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a VIEW-CHANGE's P set [4.4]: a batch prepared at this replica, proven by the
 * primary's signed pre-prepare (with its batch) and 2f matching signed prepares from distinct
 * backups of the same view. The core checks the proof; this record only carries it.
 */
public record PreparedProof(Signed<PrePrepare> prePrepare, List<Signed<Prepare>> prepares) {
    public PreparedProof {
        Objects.requireNonNull(prePrepare, "prePrepare");
        prepares = List.copyOf(prepares);
    }

    public long sequence() {
        return prePrepare.message().sequence();
    }

    public long view() {
        return prePrepare.message().view();
    }

    /** This proof with its pre-prepare's requests as references (the signatures still verify). */
    public PreparedProof withoutBodies() {
        PrePrepare stripped = prePrepare.message().withoutBodies();
        return stripped == prePrepare.message() ? this
                : new PreparedProof(new Signed<>(stripped, prePrepare.signature()), prepares);
    }

    @Override
    public String toString() {
        return "PreparedProof[v=" + view() + ", n=" + sequence() + ", " + prepares.size() + " prepares]";
    }
}
