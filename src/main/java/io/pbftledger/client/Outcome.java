package io.pbftledger.client;

/**
 * What execution did with a transaction that PBFT ordered into a block. Ordered is not executed: a
 * transaction of a client revoked in an earlier block, or a membership change that does not apply,
 * stays in its block (the replicas agreed on it) but is refused at execution and changes nothing.
 */
public enum Outcome {
    /** It took effect: its state write (if any) and membership change (if any) were applied. */
    EXECUTED,
    /** Execution refused it; it changed nothing. The {@link ExecutionRefusal} says why. */
    REFUSED
}
