package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;

/** Why consensus waits, for the status: whose messages the replica still needs for its next quorum. */
final class QuorumWait {
    private QuorumWait() {
    }

    /**
     * During a view change, the replicas without a VIEW-CHANGE for the target view (or above);
     * otherwise, for the lowest sequence not delivered: the primary while its pre-prepare is missing,
     * then the backups whose matching prepare is missing, then the replicas whose commit is missing.
     */
    static List<Integer> missing(ReplicaContext ctx, SequenceLog log, ViewChanger viewChanger) {
        if (ctx.changing()) {
            return viewChanger.missingViewChanges();
        }
        Slot slot = log.get(ctx.lastDelivered + 1);
        if (slot == null) {
            return List.of();
        }
        if (slot.prePrepare() == null) {
            return List.of(ctx.primary());
        }
        boolean prepared = slot.isPrepared(ctx.quorums());
        VoteSet<?> votes = prepared ? slot.commits() : slot.prepares();
        List<Integer> missing = new ArrayList<>();
        for (int r : ctx.replicas().members()) {
            boolean primaryPrepare = !prepared && r == ctx.primary();
            if (r != ctx.self && !primaryPrepare && !slot.digest().equals(digestOf(votes, r))) {
                missing.add(r);
            }
        }
        return missing;
    }

    private static Digest digestOf(VoteSet<?> votes, int replica) {
        Signed<?> vote = votes.of(replica);
        return vote == null ? null : ((OrderingMessage) vote.message()).batchDigest();
    }
}
