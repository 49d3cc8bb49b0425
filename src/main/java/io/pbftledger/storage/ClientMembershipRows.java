package io.pbftledger.storage;

import io.pbftledger.chain.ReplicaOp;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.pbft.message.Digest;

import io.pbftledger.chain.ClientEntry;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.crypto.Ed25519;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The client membership's rows: writes the genesis membership, and reads the membership back (the
 * current rows, or a replay of the history up to a height). What blocks change of it is written
 * with the blocks ({@link MembershipRows}).
 */
final class ClientMembershipRows {
    private final EntityManager entityManager;
    private final ClientRepository clients;
    private final ClientChangeRepository changes;

    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    ClientMembershipRows(EntityManager entityManager, ClientRepository clients, ClientChangeRepository changes,
                         org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.entityManager = entityManager;
        this.jdbc = jdbc;
        this.clients = clients;
        this.changes = changes;
    }

    /** Whether the membership at height 0 was stored (it has no rows when the file lists no client). */
    boolean hasGenesis() {
        return changes.existsByIdBlockHeight(0);
    }

    void writeGenesis(ClientMembership genesis) {
        int ordinal = 0;
        for (ClientEntry client : genesis.clients()) {
            entityManager.persist(ClientChangeEntity.genesis(client, ordinal++));
            entityManager.persist(ClientEntity.of(client));
        }
    }

    /** The current rows, with the keys every client ever held from the history. */
    ClientMembership loadCurrent(ClientMembership genesis) {
        List<ClientEntry> current = clients.findAllByOrderByClientIdAsc().stream().map(ClientEntity::toEntry).toList();
        ClientChangeEntity newest = changes.findTopByOrderByIdBlockHeightDescIdTxIndexDesc();
        long height = newest == null ? 0 : newest.blockHeight();
        List<ClientChangeEntity> history = changes.findByIdBlockHeightLessThanEqualOrderByIdBlockHeightAscIdTxIndexAsc(height);
        ReplicaRoster replicas = replicas(genesis.replicas(), Long.MAX_VALUE);
        long replicaHeight = replicas.changes().isEmpty() ? 0 : replicas.changes().get(replicas.changes().size() - 1).height();
        return ClientMembership.restore(genesis.chainId(), Math.max(height, replicaHeight), current,
                keysEverHeld(history), replicas);
    }

    /** The genesis roster with the stored replica-set changes up to block {@code height} applied, in order. */
    private ReplicaRoster replicas(ReplicaRoster genesis, long height) {
        List<Object[]> rows = jdbc.query("select block_height, tx_index, block_sequence, tx_id, payload from replica_changes"
                + " where block_height <= ? order by block_height, tx_index", (rs, i) -> new Object[] {
                rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5)}, height);
        ReplicaRoster roster = genesis;
        for (Object[] row : rows) {
            roster = roster.apply(ReplicaOp.parse((String) row[4]), (Long) row[0], (Long) row[2], (Integer) row[1],
                    Digest.fromHex((String) row[3]));
        }
        return roster;
    }

    /** The membership after block {@code height}, replayed from the history; empty when no history is stored. */
    Optional<ClientMembership> replay(ClientMembership genesis, long height) {
        String chainId = genesis.chainId();
        List<ClientChangeEntity> history = changes.findByIdBlockHeightLessThanEqualOrderByIdBlockHeightAscIdTxIndexAsc(height);
        if (history.isEmpty()) {
            ReplicaRoster replicas = replicas(genesis.replicas(), height);
            return replicas.changes().isEmpty() ? Optional.empty() : Optional.of(genesis.withReplicas(replicas,
                    replicas.changes().get(replicas.changes().size() - 1).height()));
        }
        SortedMap<String, ClientEntry> members = new TreeMap<>();
        long last = 0;
        for (ClientChangeEntity row : history) {
            last = row.blockHeight();
            ClientEntry before = members.get(row.clientId());
            switch (row.op()) {
                case ClientChangeEntity.GENESIS, "add" -> members.put(row.clientId(), new ClientEntry(row.clientId(),
                        Ed25519.PublicKey.fromBase64(row.publicKey()), RoleColumn.parse(row.roles()), last));
                case "revoke" -> members.remove(row.clientId());
                case "roles" -> members.put(row.clientId(), new ClientEntry(row.clientId(), requireMember(before, row).publicKey(),
                        RoleColumn.parse(row.roles()), last));
                default -> throw new IllegalStateException("unknown op '" + row.op() + "' in client_changes");
            }
        }
        ReplicaRoster replicas = replicas(genesis.replicas(), height);
        long replicaHeight = replicas.changes().isEmpty() ? 0 : replicas.changes().get(replicas.changes().size() - 1).height();
        return Optional.of(ClientMembership.restore(chainId, Math.max(last, replicaHeight), members.values(),
                keysEverHeld(history), replicas));
    }

    private static ClientEntry requireMember(ClientEntry entry, ClientChangeEntity row) {
        if (entry == null) {
            throw new IllegalStateException("client_changes changes the roles of '" + row.clientId()
                    + "' at height " + row.blockHeight() + ", which is not a member there");
        }
        return entry;
    }

    private static Map<String, List<Ed25519.PublicKey>> keysEverHeld(List<ClientChangeEntity> history) {
        Map<String, List<Ed25519.PublicKey>> keys = new TreeMap<>();
        for (ClientChangeEntity row : history) {
            if (row.publicKey() != null) {
                keys.computeIfAbsent(row.clientId(), id -> new ArrayList<>()).add(Ed25519.PublicKey.fromBase64(row.publicKey()));
            }
        }
        return keys;
    }
}
