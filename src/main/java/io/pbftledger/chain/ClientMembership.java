package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The membership in effect after some block: the clients (who may submit, read and administer, with
 * which key) and the {@link ReplicaRoster} (the replica set of every epoch so far). Immutable; every change makes a new one ({@link #apply}). It starts as the clients of the
 * membership file (height 0) and changes only by executed membership transactions, so every replica
 * that executed the same blocks holds the same one.
 *
 * <p>It also remembers the keys clients held before (revoked or replaced): a backup accepts a
 * request signed with one of those into a PRE-PREPARE, because whether it may still execute depends
 * on blocks the backup may not have executed yet; execution then refuses it deterministically.
 */
public final class ClientMembership {
    /** Most clients a membership may hold, as for the membership file. */
    public static final int CLIENTS_MAX = 100_000;

    private final String chainId;
    private final long height;
    private final SortedMap<String, ClientEntry> clients;
    private final SortedMap<String, List<Ed25519.PublicKey>> retiredKeys;
    private final ReplicaRoster replicas;
    private final Digest clientsDigest;
    private final Digest digest;

    private ClientMembership(String chainId, long height, SortedMap<String, ClientEntry> clients,
                             SortedMap<String, List<Ed25519.PublicKey>> retiredKeys, ReplicaRoster replicas) {
        if (height < 0) {
            throw new IllegalArgumentException("a membership height is >= 0, got " + height);
        }
        this.chainId = chainId;
        this.height = height;
        this.clients = Collections.unmodifiableSortedMap(clients);
        this.retiredKeys = Collections.unmodifiableSortedMap(retiredKeys);
        this.replicas = java.util.Objects.requireNonNull(replicas, "replicas");
        this.clientsDigest = CheckpointDigest.clients(this.clients.values());
        this.digest = CheckpointDigest.membership(clientsDigest, CheckpointDigest.replicas(replicas.latest()));
    }

    /**
     * The membership file's clients and replicas: the membership at height 0, with replica-set changes
     * taking effect at multiples of the file's checkpoint interval, or of
     * {@link ReplicaRoster#DEFAULT_CHECKPOINT_INTERVAL} when it fixes none (fixtures and tools; a
     * replica passes its configured interval).
     */
    public static ClientMembership genesis(Membership membership) {
        return genesis(membership, membership.checkpointIntervalOr(ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL));
    }

    /** The membership at height 0 of a chain whose checkpoints are {@code checkpointInterval} apart. */
    public static ClientMembership genesis(Membership membership, long checkpointInterval) {
        SortedMap<String, ClientEntry> clients = new TreeMap<>();
        for (Membership.Client c : membership.clients()) {
            clients.put(c.id(), ClientEntry.of(c));
        }
        return new ClientMembership(membership.chainId(), 0, clients, new TreeMap<>(),
                ReplicaRoster.genesis(membership, checkpointInterval));
    }

    /**
     * A stored membership: the current clients, the height it took effect and every key each client
     * ever held (the current keys among them are ignored).
     */
    public static ClientMembership restore(String chainId, long height, Collection<ClientEntry> current,
                                           Map<String, List<Ed25519.PublicKey>> keysEverHeld, ReplicaRoster replicas) {
        SortedMap<String, ClientEntry> clients = new TreeMap<>();
        for (ClientEntry c : current) {
            if (clients.put(c.id(), c) != null) {
                throw new IllegalArgumentException("client '" + c.id() + "' is stored twice");
            }
        }
        SortedMap<String, List<Ed25519.PublicKey>> retired = new TreeMap<>();
        keysEverHeld.forEach((id, keys) -> {
            for (Ed25519.PublicKey key : keys) {
                ClientEntry now = clients.get(id);
                if (now == null || !now.publicKey().equals(key)) {
                    retire(retired, id, key);
                }
            }
        });
        return new ClientMembership(chainId, height, clients, retired, replicas);
    }

    public String chainId() {
        return chainId;
    }

    /** Height of the block whose execution made this membership (0: the membership file's). */
    public long height() {
        return height;
    }

    public Optional<ClientEntry> client(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    /** Every client, ordered by id. */
    public List<ClientEntry> clients() {
        return List.copyOf(clients.values());
    }

    /** The client's current key first, then the keys it held before, oldest first; empty for a stranger. */
    public List<Ed25519.PublicKey> knownKeys(String clientId) {
        List<Ed25519.PublicKey> keys = new ArrayList<>(2);
        ClientEntry now = clients.get(clientId);
        if (now != null) {
            keys.add(now.publicKey());
        }
        keys.addAll(retiredKeys.getOrDefault(clientId, List.of()));
        return keys;
    }

    /** The replica sets of every epoch the executed blocks made. */
    public ReplicaRoster replicas() {
        return replicas;
    }

    /**
     * This membership with the replica roster {@code next}, executed in the block at {@code atHeight}
     * (the replica-set change of a transaction of that block).
     */
    public ClientMembership withReplicas(ReplicaRoster next, long atHeight) {
        if (atHeight < height) {
            throw new IllegalArgumentException("height " + atHeight + " is below this membership's " + height);
        }
        return new ClientMembership(chainId, atHeight, new TreeMap<>(clients), new TreeMap<>(retiredKeys), next);
    }

    /** What the checkpoint digest covers: {@link CheckpointDigest#membership} of the clients and the newest replica set. */
    public Digest digest() {
        return digest;
    }

    /** The clients' part of {@link #digest()}: {@link CheckpointDigest#clients}. */
    public Digest clientsDigest() {
        return clientsDigest;
    }

    /**
     * The membership after {@code op}, executed in the block at {@code atHeight}; throws a
     * {@link LedgerException} naming why the op cannot apply to this membership.
     */
    public ClientMembership apply(MembershipOp op, long atHeight) {
        if (atHeight < height) {
            throw new IllegalArgumentException("height " + atHeight + " is below this membership's " + height);
        }
        SortedMap<String, ClientEntry> next = new TreeMap<>(clients);
        SortedMap<String, List<Ed25519.PublicKey>> retired = new TreeMap<>(retiredKeys);
        ClientEntry existing = clients.get(op.clientId());
        if (op instanceof MembershipOp.Add add) {
            if (existing != null) {
                throw LedgerException.invalid("client '" + add.clientId() + "' is already a member; change its "
                        + "roles with op 'roles', or revoke it first to give it a new key");
            }
            if (clients.size() >= CLIENTS_MAX) {
                throw LedgerException.invalid("the membership already holds the most clients, " + CLIENTS_MAX);
            }
            for (ClientEntry other : clients.values()) {
                if (other.publicKey().equals(add.publicKey())) {
                    throw LedgerException.invalid("publicKey is already the key of client '" + other.id() + "'");
                }
            }
            next.put(add.clientId(), new ClientEntry(add.clientId(), add.publicKey(), add.roles(), atHeight));
        } else if (op instanceof MembershipOp.Revoke revoke) {
            requireMember(existing, revoke.clientId());
            requireAnotherAdmin(existing, Set.of());
            next.remove(revoke.clientId());
            retire(retired, revoke.clientId(), existing.publicKey());
        } else if (op instanceof MembershipOp.SetRoles set) {
            requireMember(existing, set.clientId());
            requireAnotherAdmin(existing, set.roles());
            next.put(set.clientId(), new ClientEntry(set.clientId(), existing.publicKey(), set.roles(), atHeight));
        }
        return new ClientMembership(chainId, atHeight, next, retired, replicas);
    }

    private static void requireMember(ClientEntry existing, String clientId) {
        if (existing == null) {
            throw LedgerException.invalid("client '" + clientId + "' is not a member");
        }
    }

    /** A membership without an admin could never change again. */
    private void requireAnotherAdmin(ClientEntry changed, Set<Role> newRoles) {
        if (!changed.may(Role.ADMIN) || newRoles.contains(Role.ADMIN)) {
            return;
        }
        long admins = clients.values().stream().filter(c -> c.may(Role.ADMIN)).count();
        if (admins <= 1) {
            throw LedgerException.invalid("client '" + changed.id() + "' is the last admin; add or promote another "
                    + "admin first");
        }
    }

    private static void retire(SortedMap<String, List<Ed25519.PublicKey>> retired, String id, Ed25519.PublicKey key) {
        List<Ed25519.PublicKey> keys = new ArrayList<>(retired.getOrDefault(id, List.of()));
        if (!keys.contains(key)) {
            keys.add(key);
        }
        retired.put(id, List.copyOf(keys));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientMembership other && height == other.height && chainId.equals(other.chainId)
                && clients.equals(other.clients) && retiredKeys.equals(other.retiredKeys)
                && replicas.equals(other.replicas);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "ClientMembership[height " + height + ", " + clients.size() + " clients, digest " + digest.hex() + "]";
    }
}
