package io.pbftledger.transport;

import io.pbftledger.chain.Block;
import java.util.List;

/**
 * The blocks a replica serves its peers for state transfer: the stored ones, or a lying chain
 * under fault injection ({@link LyingBlockPages}).
 */
@FunctionalInterface
public interface PeerBlockPages {

    /** Blocks with heights in [fromHeight, toHeight], ascending, with transactions and certificates. */
    List<Block> blocksBetween(long fromHeight, long toHeight);
}
