package io.pbftledger.chain;

import java.util.List;

/**
 * A block produced by executing a committed batch, with the world-state writes it makes, the
 * indices of its transactions that execution skipped as already executed ({@link PriorExecution}),
 * the client membership in effect after it, the membership changes it made and the transactions it
 * refused ({@link Permissions}).
 *
 * @param clientsAfter null only for blocks executed without a client membership (fixtures, the genesis)
 */
public record ExecutedBlock(Block block, List<StateWrite> writes, List<Integer> skipped, ClientMembership clientsAfter,
                            List<MembershipChange> changes, List<Refusal> refusals) {
    public ExecutedBlock {
        writes = List.copyOf(writes);
        skipped = List.copyOf(skipped);
        changes = List.copyOf(changes);
        refusals = List.copyOf(refusals);
        int previous = -1;
        for (int index : skipped) {
            if (index <= previous || index >= block.transactions().size()) {
                throw new IllegalArgumentException("skipped transaction indices must ascend inside the block");
            }
            previous = index;
        }
    }

    /** A block whose transactions were all executed, without a client membership. */
    public ExecutedBlock(Block block, List<StateWrite> writes) {
        this(block, writes, List.of());
    }

    /** A block executed without a client membership. */
    public ExecutedBlock(Block block, List<StateWrite> writes, List<Integer> skipped) {
        this(block, writes, skipped, null, List.of(), List.of());
    }

    /** The replica-set changes this block's transactions made (at most one: a second one is refused). */
    public List<ReplicaRoster.Change> replicaChanges() {
        return clientsAfter == null ? List.of() : clientsAfter.replicas().changesInBlock(block.height());
    }

    public boolean isSkipped(int index) {
        return java.util.Collections.binarySearch(skipped, index) >= 0;
    }
}
