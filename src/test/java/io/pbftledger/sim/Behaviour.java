package io.pbftledger.sim;

/**
 * How a simulated node treats what its (real, correct) replica sends. Faulty behaviours rewrite
 * the outbound messages and sign them with the node's own key, as a Byzantine replica could.
 */
enum Behaviour {
    HONEST,
    /** Accepts messages, never answers. */
    SILENT,
    /** Votes (prepares, commits, checkpoints) for a wrong digest. */
    WRONG_DIGEST,
    /** Replays its old messages and floods duplicates. */
    REPLAYER,
    /** Sends votes in another replica's name (signed with its own key, so verification fails). */
    FORGER,
    /** As primary, sends different batches for one sequence to different backups. */
    EQUIVOCATING_PRIMARY;

    boolean faulty() {
        return this != HONEST;
    }
}
