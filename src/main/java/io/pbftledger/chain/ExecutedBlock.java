package io.pbftledger.chain;

import java.util.List;

/**
 * A block produced by executing a committed batch, with the world-state writes it makes and the
 * indices of its transactions that execution skipped as already executed ({@link PriorExecution}).
 */
public record ExecutedBlock(Block block, List<StateWrite> writes, List<Integer> skipped) {
    public ExecutedBlock {
        writes = List.copyOf(writes);
        skipped = List.copyOf(skipped);
        int previous = -1;
        for (int index : skipped) {
            if (index <= previous || index >= block.transactions().size()) {
                throw new IllegalArgumentException("skipped transaction indices must ascend inside the block");
            }
            previous = index;
        }
    }

    /** A block whose transactions were all executed. */
    public ExecutedBlock(Block block, List<StateWrite> writes) {
        this(block, writes, List.of());
    }

    public boolean isSkipped(int index) {
        return java.util.Collections.binarySearch(skipped, index) >= 0;
    }
}
