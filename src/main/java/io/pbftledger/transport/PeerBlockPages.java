package io.pbftledger.transport;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockVolume;
import io.pbftledger.chain.LedgerQueries;
import java.util.List;
import java.util.SortedMap;

/**
 * The blocks a replica serves its peers for state transfer: the stored ones, or a lying chain
 * under fault injection ({@link LyingBlockPages}).
 */
public interface PeerBlockPages {

    /** Blocks with heights in [fromHeight, toHeight], ascending, with transactions and certificates. */
    List<Block> blocksBetween(long fromHeight, long toHeight);

    /**
     * How much each block {@link #blocksBetween} would serve for [fromHeight, toHeight] holds, by height,
     * without loading any; heights without transactions are absent.
     */
    SortedMap<Long, BlockVolume> volumesBetween(long fromHeight, long toHeight);

    /** The stored blocks. */
    static PeerBlockPages stored(LedgerQueries queries) {
        return new PeerBlockPages() {
            @Override
            public List<Block> blocksBetween(long fromHeight, long toHeight) {
                return queries.blocksBetween(fromHeight, toHeight);
            }

            @Override
            public SortedMap<Long, BlockVolume> volumesBetween(long fromHeight, long toHeight) {
                return queries.volumesBetween(fromHeight, toHeight);
            }
        };
    }
}
