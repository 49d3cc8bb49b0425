package io.pbftledger.chain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a (clientId, nonce) was executed in an earlier block of the chain. PBFT orders requests
 * at least once, not exactly once: a request that prepared at a few replicas in one view can be
 * ordered again in a later view and then both prepared certificates can reach a NEW-VIEW's O [Castro
 * and Liskov 4.4]. Exactly-once is enforced at execution, as in the paper: a transaction whose
 * (clientId, nonce) was executed before (or earlier in the same block) stays in the block, because
 * the batch digest and the commit certificate cover it, but it is skipped: no state write, no second
 * execution. Every replica decides this from the same chain prefix, so the decision is deterministic.
 */
@FunctionalInterface
public interface PriorExecution {
    /** A chain without earlier executions (or a verifier that knows none). */
    PriorExecution NONE = (clientId, nonce) -> false;

    boolean executed(String clientId, long nonce);

    /** Indices (ascending) of the transactions of a block that execution skips as already executed. */
    static List<Integer> skipped(List<Transaction> transactions, PriorExecution prior) {
        List<Integer> skipped = new ArrayList<>();
        Set<String> inBlock = new HashSet<>();
        for (int i = 0; i < transactions.size(); i++) {
            Transaction tx = transactions.get(i);
            // '#' cannot occur in a client id, so the pair key is unambiguous.
            boolean firstInBlock = inBlock.add(tx.clientId() + "#" + tx.nonce());
            if (!firstInBlock || prior.executed(tx.clientId(), tx.nonce())) {
                skipped.add(i);
            }
        }
        return List.copyOf(skipped);
    }
}
