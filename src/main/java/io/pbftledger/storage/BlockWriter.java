package io.pbftledger.storage;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.StateWrite;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Signed;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes the rows of consecutive blocks inside the caller's transaction, with one JDBC batch per
 * table for all of them (not through Hibernate's persistence context: no entity copies, no dirty
 * checking, no flush). The rows are exactly those the entities of this package map; the database
 * reports a violated constraint as soon as the batch runs, as a Spring {@code DataAccessException}.
 * Parents go first (blocks, then the rows that reference them, refusals after the transactions they
 * name), so foreign keys hold at every statement.
 */
final class BlockWriter {
    /** Rows per JDBC batch: bounds what a driver buffers for one executeBatch. */
    static final int BATCH_ROWS = 1_000;

    private static final String INSERT_BLOCK = "insert into blocks (height, hash, previous_hash, timestamp_ms,"
            + " view_number, sequence_number, primary_id, batch_digest, transactions_root, state_hash, transaction_count)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_SIGNATURE = "insert into commit_signatures (block_height, replica_id, signature)"
            + " values (?, ?, ?)";
    private static final String INSERT_TRANSACTION = "insert into transactions (tx_id, block_height, tx_index,"
            + " chain_id, client_id, nonce, tx_key, payload, signature) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_SKIPPED = "insert into skipped_transactions (tx_id, block_height, tx_index,"
            + " chain_id, client_id, nonce, tx_key, payload, signature) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_HISTORY = "insert into state_history (block_height, tx_index, state_key,"
            + " state_value, tx_id) values (?, ?, ?, ?, ?)";

    /** A transaction at its place in the chain. */
    private record Placed(Transaction tx, String txId, long height, int index) {
    }

    /** A signature of a block's certificate. */
    private record Signature(long height, Signed<Commit> signed) {
    }

    /** A state write of a block. */
    private record Write(long height, StateWrite write, String txId) {
    }

    private final JdbcTemplate jdbc;
    private final WorldStateRows worldState;
    private final MembershipRows membership;

    BlockWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.worldState = new WorldStateRows(jdbc);
        this.membership = new MembershipRows(jdbc);
    }

    /** Writes {@code blocks}, consecutive and in height order, inside the caller's transaction. */
    void write(List<BlockRows> blocks) {
        List<Block> headerRows = new ArrayList<>(blocks.size());
        List<Signature> signatures = new ArrayList<>();
        List<Placed> executed = new ArrayList<>();
        List<Placed> skipped = new ArrayList<>();
        List<Write> history = new ArrayList<>();
        for (BlockRows rows : blocks) {
            Block block = rows.executed().block();
            long height = block.height();
            headerRows.add(block);
            block.certificate().forEach(signed -> signatures.add(new Signature(height, signed)));
            for (int i = 0; i < block.transactions().size(); i++) {
                Placed placed = new Placed(block.transactions().get(i), rows.txIds().get(i), height, i);
                (rows.executed().isSkipped(i) ? skipped : executed).add(placed);
            }
            rows.executed().writes().forEach(w -> history.add(new Write(height, w, w.txId().hex())));
        }
        batch(INSERT_BLOCK, headerRows, BlockWriter::bindBlock);
        batch(INSERT_SIGNATURE, signatures, (ps, s) -> {
            ps.setLong(1, s.height());
            ps.setInt(2, s.signed().message().replica());
            ps.setBytes(3, s.signed().signature());
        });
        batch(INSERT_TRANSACTION, executed, BlockWriter::bindTransaction);
        batch(INSERT_SKIPPED, skipped, BlockWriter::bindTransaction);
        batch(INSERT_HISTORY, history, (ps, w) -> {
            ps.setLong(1, w.height());
            ps.setInt(2, w.write().index());
            ps.setString(3, w.write().key());
            ps.setString(4, w.write().value());
            ps.setString(5, w.txId());
        });
        worldState.write(blocks);
        membership.write(blocks);
    }

    private <T> void batch(String sql, List<T> rows, RowBinder<T> binder) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows, BATCH_ROWS, binder::bind);
        }
    }

    /** Binds one row's parameters. */
    @FunctionalInterface
    interface RowBinder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private static void bindBlock(PreparedStatement ps, Block block) throws SQLException {
        BlockHeader h = block.header();
        ps.setLong(1, h.height());
        ps.setString(2, block.hash().hex());
        ps.setString(3, h.previousHash().hex());
        ps.setLong(4, h.timestamp());
        ps.setLong(5, h.view());
        ps.setLong(6, h.sequence());
        ps.setInt(7, h.primary());
        ps.setString(8, h.batchDigest().hex());
        ps.setString(9, h.transactionsRoot().hex());
        ps.setString(10, h.stateHash().hex());
        ps.setInt(11, h.transactionCount());
    }

    /** The columns {@code transactions} and {@code skipped_transactions} share, in the order of their inserts. */
    private static void bindTransaction(PreparedStatement ps, Placed p) throws SQLException {
        Transaction tx = p.tx();
        ps.setString(1, p.txId());
        ps.setLong(2, p.height());
        ps.setInt(3, p.index());
        ps.setString(4, tx.chainId());
        ps.setString(5, tx.clientId());
        ps.setLong(6, tx.nonce());
        setNullable(ps, 7, tx.key());
        ps.setString(8, tx.payload());
        ps.setBytes(9, tx.signature());
    }

    static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
