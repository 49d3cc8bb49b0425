package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The consensus status of every replica, as this replica gathered it. */
@Schema(name = "Cluster")
public record ClusterView(
        @Schema(description = "The replica that answered") int replicaId,
        @Schema(description = "One entry per replica of the membership, by id") List<Member> replicas) {

    /** One replica's status; only id, url, self and reachable when it did not answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ClusterMember")
    public record Member(int id, String url,
                         @Schema(description = "Whether this is the replica that answered") boolean self,
                         @Schema(description = "Whether the replica answered its consensus status in time") boolean reachable,
                         Long view, Integer primary,
                         @Schema(description = "NORMAL, VIEW_CHANGE, STATE_TRANSFER or NOT_A_MEMBER") String status,
                         Long height, Long lastExecutedSequence, Long stableCheckpoint, Integer pendingTransactions,
                         @Schema(description = "Why the replica is shown as unreachable") String error) {

        static Member unreachable(int id, String url, String error) {
            return new Member(id, url, false, false, null, null, null, null, null, null, null, error);
        }
    }
}
