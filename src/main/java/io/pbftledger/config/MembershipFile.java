package io.pbftledger.config;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.crypto.Ed25519;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@code membership.yml}: the chain id, the checkpoint interval (optional; part of
 * the genesis when present), the replicas 0..n-1 (n ≥ 4) with URL and public key, the clients with
 * public key and roles. Reading is strict; any problem is a
 * {@link MembershipFileException} naming the file and the problem.
 */
public final class MembershipFile {
    /** A bound on the list sizes so a wrong file cannot make the replica allocate without end. */
    public static final int REPLICAS_MAX = 1000;
    public static final int CLIENTS_MAX = 100_000;

    private MembershipFile() {
    }

    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"chainId", "checkpointInterval", "replicas", "clients"})
    record MembershipDoc(String chainId,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                         Long checkpointInterval,
                         List<ReplicaDoc> replicas, List<ClientDoc> clients) {
    }

    record ReplicaDoc(Integer id, String url, String publicKey) {
    }

    record ClientDoc(String id, String publicKey, List<String> roles) {
    }

    public static Membership load(Path file) {
        MembershipDoc doc = MembershipYaml.read(file, MembershipDoc.class);
        String chainId = KeyFileFields.require(file, "chainId", doc.chainId());
        List<ReplicaDoc> replicaDocs = KeyFileFields.require(file, "replicas", doc.replicas());
        List<ClientDoc> clientDocs = KeyFileFields.require(file, "clients", doc.clients());
        if (replicaDocs.size() > REPLICAS_MAX || clientDocs.size() > CLIENTS_MAX) {
            throw new MembershipFileException(file, "lists " + replicaDocs.size() + " replicas and " + clientDocs.size()
                    + " clients; the limits are " + REPLICAS_MAX + " and " + CLIENTS_MAX);
        }
        List<Membership.Replica> replicas = replicas(file, replicaDocs);
        List<Membership.Client> clients = clients(file, clientDocs);
        Long interval = doc.checkpointInterval();
        if (interval != null && (interval < 1 || interval > Membership.CHECKPOINT_INTERVAL_MAX)) {
            throw new MembershipFileException(file, "checkpointInterval must be 1.." + Membership.CHECKPOINT_INTERVAL_MAX
                    + ", got " + interval);
        }
        try {
            return new Membership(chainId, replicas, clients, interval == null ? 0 : interval);
        } catch (IllegalArgumentException e) {
            throw new MembershipFileException(file, e.getMessage(), e);
        }
    }

    private static List<Membership.Replica> replicas(Path file, List<ReplicaDoc> docs) {
        List<Membership.Replica> out = new ArrayList<>(docs.size());
        Map<Integer, Integer> entryById = new HashMap<>();
        Map<String, Integer> entryByUrl = new HashMap<>();
        Map<Ed25519.PublicKey, Integer> entryByKey = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            String at = "replicas[" + i + "]";
            ReplicaDoc doc = KeyFileFields.require(file, at, docs.get(i));
            int id = KeyFileFields.require(file, at + ".id", doc.id());
            String url = normalizeUrl(file, at + ".url", KeyFileFields.require(file, at + ".url", doc.url()));
            Ed25519.PublicKey key = KeyFileFields.publicKey(file, at + ".publicKey", doc.publicKey());
            rejectRepeat(file, entryById.putIfAbsent(id, i), "replica id " + id, i);
            rejectRepeat(file, entryByUrl.putIfAbsent(url, i), "url " + url, i);
            rejectRepeat(file, entryByKey.putIfAbsent(key, i), "a public key", i);
            out.add(new Membership.Replica(id, url, key));
        }
        return out;
    }

    private static void rejectRepeat(Path file, Integer firstEntry, String what, int entry) {
        if (firstEntry != null) {
            // a repeated key would let one faulty machine count twice towards a quorum
            throw new MembershipFileException(file, what + " is listed twice (replicas[" + firstEntry + "] and replicas[" + entry + "])");
        }
    }

    private static List<Membership.Client> clients(Path file, List<ClientDoc> docs) {
        List<Membership.Client> out = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            String at = "clients[" + i + "]";
            ClientDoc doc = KeyFileFields.require(file, at, docs.get(i));
            String id = KeyFileFields.require(file, at + ".id", doc.id());
            Ed25519.PublicKey key = KeyFileFields.publicKey(file, at + ".publicKey", doc.publicKey());
            List<String> labels = KeyFileFields.require(file, at + ".roles", doc.roles());
            Set<Role> roles = new LinkedHashSet<>();
            for (String label : labels) {
                try {
                    roles.add(Role.parse(label));
                } catch (IllegalArgumentException e) {
                    throw new MembershipFileException(file, at + ".roles: " + e.getMessage(), e);
                }
            }
            out.add(new Membership.Client(id, key, roles));
        }
        return out;
    }

    /** An http(s) base URL with a host and no path, query or fragment; one trailing slash is dropped. */
    static String normalizeUrl(Path file, String field, String url) {
        try {
            return io.pbftledger.chain.BaseUrl.normalize(url);
        } catch (IllegalArgumentException e) {
            throw new MembershipFileException(file, field + " " + e.getMessage(), e.getCause());
        }
    }

    /** YAML text of a membership, in the order and shape {@link #load} reads. */
    public static String toYaml(Membership membership) {
        List<ReplicaDoc> replicas = new ArrayList<>();
        for (Membership.Replica r : membership.replicas()) {
            replicas.add(new ReplicaDoc(r.id(), r.url(), r.publicKey().toBase64()));
        }
        List<ClientDoc> clients = new ArrayList<>();
        for (Membership.Client c : membership.clients()) {
            clients.add(new ClientDoc(c.id(), c.publicKey().toBase64(), c.roles().stream().map(Role::label).toList()));
        }
        return "# pbft-ledger membership: the same file on every replica and client of chain " + membership.chainId() + "\n"
                + MembershipYaml.write(new MembershipDoc(membership.chainId(),
                membership.fixesCheckpointInterval() ? membership.checkpointInterval() : null, replicas, clients));
    }

    /** Writes {@link #toYaml} to {@code file} (public content, mode 0644). */
    public static void write(Path file, Membership membership) {
        MembershipYaml.writeFile(file, toYaml(membership), false);
    }
}
