package io.pbftledger.storage;

import io.pbftledger.chain.StateWrite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code world_state} rows of consecutive blocks, inside the caller's transaction: the last
 * write of each key across all of them (with the height of its block), as an update of the keys that
 * have a row and an insert of the others. One query finds which keys have a row, per
 * {@link #KEY_LOOKUP_MAX_KEYS} keys; then one batch of updates and one of inserts.
 */
final class WorldStateRows {
    /** Keys per lookup, well below the bind-parameter limits of H2 and PostgreSQL. */
    static final int KEY_LOOKUP_MAX_KEYS = 1_024;

    private static final String UPDATE = "update world_state set state_value = ?, block_height = ?, tx_id = ?"
            + " where state_key = ?";
    private static final String INSERT = "insert into world_state (state_key, state_value, block_height, tx_id)"
            + " values (?, ?, ?, ?)";

    /** The last write of a key and the height of its block. */
    private record Latest(StateWrite write, long height) {
    }

    private final JdbcTemplate jdbc;

    WorldStateRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void write(List<BlockRows> blocks) {
        Map<String, Latest> latest = new LinkedHashMap<>();
        for (BlockRows rows : blocks) {
            for (StateWrite write : rows.latestWrites().values()) {
                latest.put(write.key(), new Latest(write, rows.height()));
            }
        }
        if (latest.isEmpty()) {
            return;
        }
        Set<String> stored = storedKeys(new ArrayList<>(latest.keySet()));
        List<Latest> updates = new ArrayList<>(stored.size());
        List<Latest> inserts = new ArrayList<>(latest.size() - stored.size());
        for (Latest l : latest.values()) {
            (stored.contains(l.write().key()) ? updates : inserts).add(l);
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate(UPDATE, updates, BlockWriter.BATCH_ROWS, (ps, l) -> {
                ps.setString(1, l.write().value());
                ps.setLong(2, l.height());
                ps.setString(3, l.write().txId().hex());
                ps.setString(4, l.write().key());
            });
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(INSERT, inserts, BlockWriter.BATCH_ROWS, (ps, l) -> {
                ps.setString(1, l.write().key());
                ps.setString(2, l.write().value());
                ps.setLong(3, l.height());
                ps.setString(4, l.write().txId().hex());
            });
        }
    }

    /**
     * Which of {@code keys} have a row. Each IN list is padded to a power of two by repeating its last
     * key, so the database sees a handful of distinct statements instead of one per list length.
     */
    private Set<String> storedKeys(List<String> keys) {
        Set<String> stored = new HashSet<>();
        for (int from = 0; from < keys.size(); from += KEY_LOOKUP_MAX_KEYS) {
            List<String> chunk = new ArrayList<>(keys.subList(from, Math.min(keys.size(), from + KEY_LOOKUP_MAX_KEYS)));
            int padded = chunk.size() == 1 ? 1 : Integer.highestOneBit(chunk.size() - 1) << 1;
            chunk.addAll(Collections.nCopies(padded - chunk.size(), chunk.get(chunk.size() - 1)));
            String sql = "select state_key from world_state where state_key in ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            stored.addAll(jdbc.queryForList(sql, String.class, chunk.toArray()));
        }
        return stored;
    }
}
