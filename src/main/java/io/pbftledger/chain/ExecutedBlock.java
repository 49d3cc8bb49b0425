package io.pbftledger.chain;

import java.util.List;

/** A block produced by executing a committed batch, with the world-state writes it makes. */
public record ExecutedBlock(Block block, List<StateWrite> writes) {
    public ExecutedBlock {
        writes = List.copyOf(writes);
    }
}
