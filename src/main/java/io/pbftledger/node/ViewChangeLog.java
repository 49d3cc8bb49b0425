package io.pbftledger.node;

import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content of view-change messages at INFO: what each replica claimed prepared (P) and what a new
 * view re-orders (O), so a disagreement after a view change can be traced from the logs.
 */
final class ViewChangeLog {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaDriver.class);

    private ViewChangeLog() {
    }

    /** Logs {@code signed} if it is a VIEW-CHANGE or NEW-VIEW; {@code direction} is "sent" or "received". */
    static void message(String direction, Signed<? extends PbftMessage> signed) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        if (signed.message() instanceof ViewChange vc) {
            StringBuilder p = new StringBuilder();
            for (PreparedProof proof : vc.prepared()) {
                p.append(' ').append(proof.sequence()).append('@').append(proof.view()).append(':')
                        .append(proof.prePrepare().message().batchDigest().hex(), 0, 8);
            }
            LOG.info("{} VIEW-CHANGE of replica {} for view {}: stable {}, P [{} ]", direction, vc.replica(),
                    vc.newView(), vc.stableSequence(), p);
        } else if (signed.message() instanceof NewView nv) {
            StringBuilder o = new StringBuilder();
            for (Signed<PrePrepare> pp : nv.prePrepares()) {
                o.append(' ').append(pp.message().sequence()).append(':').append(pp.message().batch().isEmpty()
                        ? "null" : pp.message().batchDigest().hex().substring(0, 8));
            }
            StringBuilder v = new StringBuilder();
            for (Signed<ViewChange> vc : nv.viewChanges()) {
                v.append(' ').append(vc.message().replica()).append("(s=").append(vc.message().stableSequence())
                        .append(",|P|=").append(vc.message().prepared().size()).append(')');
            }
            LOG.info("{} NEW-VIEW for view {}: V [{} ], O [{} ]", direction, nv.view(), v, o);
        }
    }
}
