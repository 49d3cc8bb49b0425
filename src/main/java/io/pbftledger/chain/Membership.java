package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Quorums;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's membership: its chain id, the replicas 0..n-1 (n ≥ 4, tolerating f = ⌊(n−1)/3⌋ faulty) with URLs and public
 * keys, the clients with public keys and roles, and the checkpoint interval K when the file fixes it
 * (0 when it does not: then K is each replica's {@code ledger.checkpoint-interval}, and every replica
 * and verifier must be given the same). A fixed K is part of the genesis ({@link Genesis}): replica-set
 * changes take effect at multiples of it, so it decides which set judges which sequence.
 */
public record Membership(String chainId, List<Replica> replicas, List<Client> clients, long checkpointInterval) {
    /** The largest checkpoint interval a membership or a replica may use. */
    public static final long CHECKPOINT_INTERVAL_MAX = 1_000_000;

    /** A membership that leaves the checkpoint interval to configuration. */
    public Membership(String chainId, List<Replica> replicas, List<Client> clients) {
        this(chainId, replicas, clients, 0);
    }

    /** A replica: id, base URL of its HTTP endpoint, Ed25519 public key. */
    public record Replica(int id, String url, Ed25519.PublicKey publicKey) {
    }

    /** A client: id, Ed25519 public key, roles. */
    public record Client(String id, Ed25519.PublicKey publicKey, Set<Role> roles) {
        public Client {
            roles = Collections.unmodifiableSet(new java.util.TreeSet<>(roles));
        }

        public boolean may(Role role) {
            return roles.contains(role);
        }
    }

    public Membership {
        if (chainId == null || !Transaction.ID_PATTERN.matcher(chainId).matches()) {
            throw new IllegalArgumentException("chainId must match " + Transaction.ID_PATTERN.pattern());
        }
        if (checkpointInterval < 0 || checkpointInterval > CHECKPOINT_INTERVAL_MAX) {
            throw new IllegalArgumentException("checkpointInterval must be 1.." + CHECKPOINT_INTERVAL_MAX
                    + " (or absent), got " + checkpointInterval);
        }
        replicas = List.copyOf(replicas);
        clients = List.copyOf(clients);
        int n = replicas.size();
        if (n < Quorums.MIN_REPLICAS) {
            throw new IllegalArgumentException("the membership lists " + n + " replicas; at least " + Quorums.MIN_REPLICAS + " are needed");
        }
        for (int i = 0; i < n; i++) {
            if (replicas.get(i).id() != i) {
                throw new IllegalArgumentException("replica ids must be 0.." + (n - 1) + " in order; entry " + i + " has id " + replicas.get(i).id());
            }
        }
        Map<String, Client> seen = new LinkedHashMap<>();
        for (Client c : clients) {
            if (!Transaction.ID_PATTERN.matcher(c.id()).matches()) {
                throw new IllegalArgumentException("client id '" + c.id() + "' must match " + Transaction.ID_PATTERN.pattern());
            }
            if (seen.put(c.id(), c) != null) {
                throw new IllegalArgumentException("client id '" + c.id() + "' is listed twice");
            }
        }
    }

    public int n() {
        return replicas.size();
    }

    /** Whether the file fixes the checkpoint interval (part of the genesis). */
    public boolean fixesCheckpointInterval() {
        return checkpointInterval > 0;
    }

    /** The fixed checkpoint interval, or {@code otherwise} when the file leaves it to configuration. */
    public long checkpointIntervalOr(long otherwise) {
        return checkpointInterval > 0 ? checkpointInterval : otherwise;
    }

    /** The certificate sizes of this replica set. */
    public Quorums quorums() {
        return new Quorums(n());
    }

    public int f() {
        return quorums().f();
    }

    /** ⌈(n+f+1)/2⌉, 2f+1 when n = 3f+1 (see {@link Quorums}). */
    public int quorum() {
        return quorums().quorum();
    }

    public Replica replica(int id) {
        if (id < 0 || id >= n()) {
            throw new IllegalArgumentException("no replica " + id + " (n = " + n() + ")");
        }
        return replicas.get(id);
    }

    public Optional<Client> client(String id) {
        for (Client c : clients) {
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public List<Ed25519.PublicKey> replicaKeys() {
        List<Ed25519.PublicKey> keys = new ArrayList<>(n());
        for (Replica r : replicas) {
            keys.add(r.publicKey());
        }
        return keys;
    }
}
