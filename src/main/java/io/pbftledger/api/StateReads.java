package io.pbftledger.api;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.StateEntry;
import java.util.List;
import java.util.Optional;

/**
 * Reads a key's value together with the newest block, as one consistent pair: the value must still be
 * the key's value after the header was read, or a block committed in between could make the replica
 * sign that a value is current at a height where it was already overwritten.
 */
final class StateReads {
    static final int ATTEMPTS_MAX = 5;

    /** A value and the newest block at the moment it was read. */
    record AtHeight(StateEntry entry, BlockHeader header) {
    }

    private final LedgerQueries queries;

    StateReads(LedgerQueries queries) {
        this.queries = queries;
    }

    Optional<AtHeight> read(String key) {
        for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
            Optional<StateEntry> before = queries.state(key);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            BlockHeader header = newestHeader();
            Optional<StateEntry> after = queries.state(key);
            if (after.isPresent() && after.get().txId().equals(before.get().txId())
                    && header.height() >= before.get().blockHeight()) {
                return Optional.of(new AtHeight(before.get(), header));
            }
        }
        throw new LedgerException(ErrorKind.UNAVAILABLE, "key '" + key + "' changed during " + ATTEMPTS_MAX
                + " consecutive reads; retry");
    }

    private BlockHeader newestHeader() {
        List<BlockHeader> newest = queries.headersBefore(Long.MAX_VALUE, 1);
        if (newest.isEmpty()) {
            throw new LedgerException(ErrorKind.UNAVAILABLE, "this replica has no block yet");
        }
        return newest.get(0);
    }
}
