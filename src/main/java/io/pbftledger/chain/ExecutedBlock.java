package io.pbftledger.chain;

import java.util.List;

/**
 * A block produced by executing a committed batch, with the world-state writes it makes, the client
 * membership in effect after it, the membership changes it made and the transactions it refused.
 *
 * @param clientsAfter null only for blocks executed without a client membership
 *                     ({@link BlockExecutor#execute(BlockHeader, OrderedBatch)}: fixtures and the genesis)
 */
public record ExecutedBlock(Block block, List<StateWrite> writes, ClientMembership clientsAfter,
                            List<MembershipChange> changes, List<Refusal> refusals) {
    public ExecutedBlock {
        writes = List.copyOf(writes);
        changes = List.copyOf(changes);
        refusals = List.copyOf(refusals);
    }

    /** A block that changes no membership and refuses nothing. */
    public ExecutedBlock(Block block, List<StateWrite> writes) {
        this(block, writes, null, List.of(), List.of());
    }
}
