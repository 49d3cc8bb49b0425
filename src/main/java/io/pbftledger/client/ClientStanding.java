package io.pbftledger.client;

import java.util.List;

/**
 * Why the client believes its identity is a member with its key: the membership file lists it so
 * ({@link Source#MEMBERSHIP_FILE}), or at least f+1 replicas reported it in their current client
 * membership ({@link Source#REPLICAS}: a client an admin added after the file was written). One
 * replica's report is never enough, since f replicas may lie.
 *
 * @param clientId   the identity's client id
 * @param source     where the key was found
 * @param roles      its roles (submit, read, admin) as the file lists them, or as most of the replicas that
 *                   reported its key list them
 * @param reportedBy the replicas that reported the identity's key (empty for the file)
 */
public record ClientStanding(String clientId, Source source, List<String> roles, List<Integer> reportedBy) {

    /** Where the identity's key was found. */
    public enum Source { MEMBERSHIP_FILE, REPLICAS }

    public ClientStanding {
        roles = List.copyOf(roles);
        reportedBy = List.copyOf(reportedBy);
    }
}
