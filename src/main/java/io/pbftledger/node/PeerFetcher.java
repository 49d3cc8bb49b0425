package io.pbftledger.node;

import io.pbftledger.chain.Block;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Reads another replica's chain for state transfer; the transport package implements it over HTTP. */
public interface PeerFetcher {

    /** Blocks of {@code peer} from height {@code fromHeight} on, ascending, at most {@code limit}; decoded, not verified. */
    List<Block> blocks(int peer, long fromHeight, int limit) throws IOException;

    /** The newest stable checkpoint {@code peer} stored, with its proof; not verified. */
    Optional<StoredCheckpoint> latestCheckpoint(int peer) throws IOException;
}
