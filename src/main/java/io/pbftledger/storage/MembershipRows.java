package io.pbftledger.storage;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.MembershipChange;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What consecutive blocks change of the client membership, inside the caller's transaction: their
 * refusals and membership changes (one batch each), and the {@code clients} row of every client they
 * touched, set to what the membership after the last block touching it says (updated, inserted, or
 * deleted when the client was revoked), and their replica-set changes. Membership changes are rare; refusals may be many.
 */
final class MembershipRows {
    private static final String INSERT_REFUSAL = "insert into transaction_refusals (tx_id, block_height, tx_index,"
            + " client_id, error_kind, reason) values (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CHANGE = "insert into client_changes (block_height, tx_index, tx_id, op,"
            + " client_id, public_key, roles) values (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_REPLICA_CHANGE = "insert into replica_changes (block_height, tx_index,"
            + " block_sequence, tx_id, epoch, op, replica_id, payload) values (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_CLIENT = "update clients set public_key = ?, roles = ?, since_height = ?"
            + " where client_id = ?";
    private static final String INSERT_CLIENT = "insert into clients (client_id, public_key, roles, since_height)"
            + " values (?, ?, ?, ?)";
    private static final String DELETE_CLIENT = "delete from clients where client_id = ?";

    private final JdbcTemplate jdbc;

    MembershipRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void write(List<BlockRows> blocks) {
        List<Refusal> refusals = new ArrayList<>();
        List<MembershipChange> changes = new ArrayList<>();
        // Client id -> the membership after the last block that changed it; sorted, as the rows were always written.
        Map<String, ClientMembership> touched = new TreeMap<>();
        for (BlockRows rows : blocks) {
            refusals.addAll(rows.executed().refusals());
            for (MembershipChange change : rows.executed().changes()) {
                changes.add(change);
                touched.put(change.op().clientId(), rows.executed().clientsAfter());
            }
        }
        if (!refusals.isEmpty()) {
            jdbc.batchUpdate(INSERT_REFUSAL, refusals, BlockWriter.BATCH_ROWS, (ps, r) -> {
                ps.setString(1, r.txId().hex());
                ps.setLong(2, r.height());
                ps.setInt(3, r.index());
                ps.setString(4, r.clientId());
                ps.setString(5, r.kind().name());
                ps.setString(6, r.reason().length() > TransactionRefusalEntity.REASON_MAX_CHARS
                        ? r.reason().substring(0, TransactionRefusalEntity.REASON_MAX_CHARS) : r.reason());
            });
        }
        if (!changes.isEmpty()) {
            jdbc.batchUpdate(INSERT_CHANGE, changes, BlockWriter.BATCH_ROWS, (ps, c) -> {
                ps.setLong(1, c.height());
                ps.setInt(2, c.index());
                ps.setString(3, c.txId().hex());
                ps.setString(4, c.op().label());
                ps.setString(5, c.op().clientId());
                String publicKey = null;
                String roles = null;
                if (c.op() instanceof MembershipOp.Add add) {
                    publicKey = add.publicKey().toBase64();
                    roles = RoleColumn.format(add.roles());
                } else if (c.op() instanceof MembershipOp.SetRoles set) {
                    roles = RoleColumn.format(set.roles());
                }
                BlockWriter.setNullable(ps, 6, publicKey);
                BlockWriter.setNullable(ps, 7, roles);
            });
        }
        touched.forEach((clientId, after) -> writeClient(clientId, after.client(clientId)));
        for (BlockRows rows : blocks) {
            for (ReplicaRoster.Change c : rows.executed().replicaChanges()) {
                jdbc.update(INSERT_REPLICA_CHANGE, c.height(), c.index(), c.sequence(), c.txId().hex(), c.epoch(),
                        c.op().label(), c.op().replicaId(), c.op().toJson());
            }
        }
    }

    private void writeClient(String clientId, Optional<ClientEntry> now) {
        if (now.isEmpty()) {
            jdbc.update(DELETE_CLIENT, clientId);
            return;
        }
        ClientEntry entry = now.get();
        String publicKey = entry.publicKey().toBase64();
        String roles = RoleColumn.format(entry.roles());
        if (jdbc.update(UPDATE_CLIENT, publicKey, roles, entry.since(), clientId) == 0) {
            jdbc.update(INSERT_CLIENT, clientId, publicKey, roles, entry.since());
        }
    }
}
