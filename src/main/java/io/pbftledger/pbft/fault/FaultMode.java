package io.pbftledger.pbft.fault;

/**
 * The faulty replica types a test or a fault-injection deployment can give a replica (the seeds'
 * behaviours and those beyond them in shared/design/pbft-checklist.md). {@link FaultInjector} applies
 * the ones that change consensus messages; SLOW and WRONG_REPLIES are applied by the driver and the
 * API through its hooks.
 */
public enum FaultMode {
    /** Non-responding: accepts connections, never sends anything. */
    SILENT,
    /** Delays everything it sends by the configured delay ({@link FaultInjector#delayMs()}). */
    SLOW,
    /** As primary, proposes batches whose digest does not match the batch. */
    BAD_DIGEST_PRIMARY,
    /** Sends prepares for a wrong digest. */
    BAD_DIGEST_PREPARES,
    /** Tells clients wrong results ({@link FaultInjector#reportsWrongResults()}); consensus stays honest. */
    WRONG_REPLIES,
    /** As primary, sends different (valid) batches for the same sequence number to different backups. */
    EQUIVOCATING_PRIMARY,
    /** Also sends commits in another replica's name; it lacks that key, so their signatures are bad. */
    FORGED_VOTES,
    /** Replays its old messages and floods duplicates (beyond the list, from the checklist). */
    REPLAYING,
    /**
     * Answers state-transfer block pages with one committed block left out, the heights after it
     * renumbered and their hashes recomputed; everything else honest. Applied by the peer state
     * endpoint; consensus messages stay honest.
     */
    LYING_STATE_TRANSFER,
    /**
     * Honest otherwise, but also signs and sends CHECKPOINTs for ever-increasing sequence numbers
     * ({@link CheckpointFlood}), at a fixed rate set by the transport that sends them.
     */
    CHECKPOINT_FLOOD,
    /**
     * While primary, never proposes the censored clients' requests ({@link FaultInjector#censors}) but
     * keeps proposing everyone else's; everything else honest. Applied by the driver to what reaches
     * the core.
     */
    CENSORING_PRIMARY,
    /**
     * {@code replay-flood}: besides behaving honestly, re-sends the VIEW-CHANGE, NEW-VIEW and FORWARD
     * messages it sent before (FORWARDs of transactions executed long ago) to every peer, as fast as
     * its flood loop allows ({@link FaultInjector#replayable()}).
     */
    REPLAY_FLOOD;

    /** Whether the mode changes what the replica sends to its peers (as opposed to timing or client replies). */
    public boolean rewritesMessages() {
        return this != SLOW && this != WRONG_REPLIES && this != LYING_STATE_TRANSFER && this != CENSORING_PRIMARY;
    }
}
