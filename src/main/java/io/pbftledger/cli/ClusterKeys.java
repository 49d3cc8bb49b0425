package io.pbftledger.cli;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.cli.tls.TlsAuthority;
import io.pbftledger.cli.tls.TlsFiles;
import io.pbftledger.cli.tls.TlsReplicaSettings;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.crypto.Ed25519;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Generates a cluster's files under one directory: {@code membership.yml},
 * {@code replicas/replica-<i>.key} and {@code .yml}, {@code clients/client-<j>.key}, and with TLS
 * the PEM files of {@link TlsFiles} under {@code tls/}.
 * Used by {@code keygen} and by {@code demo} on its first start.
 */
final class ClusterKeys {
    static final int REPLICAS_MAX = 100;
    static final int CLIENTS_MAX = 10_000;
    private static final int CHAIN_ID_RANDOM_BYTES = 6;

    private ClusterKeys() {
    }

    /**
     * What to generate: the chain id and one URL per replica, in id order; with {@code tls}, also a
     * cluster CA and certificates valid for {@code tlsValidity} (see {@link TlsFiles}).
     */
    record Plan(String chainId, List<String> replicaUrls, int clients, boolean tls, Duration tlsValidity,
                long checkpointInterval) {
        Plan {
            replicaUrls = List.copyOf(replicaUrls);
        }

        Plan(String chainId, List<String> replicaUrls, int clients, boolean tls, Duration tlsValidity) {
            this(chainId, replicaUrls, clients, tls, tlsValidity, 0);
        }

        Plan(String chainId, List<String> replicaUrls, int clients) {
            this(chainId, replicaUrls, clients, false, TlsAuthority.DEFAULT_VALIDITY);
        }
    }

    static Path membershipFile(Path dir) {
        return dir.resolve("membership.yml");
    }

    static Path replicaKeyFile(Path dir, int id) {
        return dir.resolve("replicas").resolve("replica-" + id + ".key");
    }

    static Path replicaConfigFile(Path dir, int id) {
        return dir.resolve("replicas").resolve("replica-" + id + ".yml");
    }

    static Path clientKeyFile(Path dir, int j) {
        return dir.resolve("clients").resolve("client-" + j + ".key");
    }

    static String randomChainId(String prefix, SecureRandom random) {
        byte[] bytes = new byte[CHAIN_ID_RANDOM_BYTES];
        random.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /** Rejects counts the protocol or this tool cannot handle, before anything is written. */
    static void checkCounts(int replicas, int clients) {
        if (replicas < 4 || replicas > REPLICAS_MAX) {
            throw new CliException("--replicas must be between 4 and " + REPLICAS_MAX + ", got " + replicas,
                    CliErrors.EXIT_USAGE);
        }
        if (clients < 0 || clients > CLIENTS_MAX) {
            throw new CliException("--clients must be between 0 and " + CLIENTS_MAX + ", got " + clients, CliErrors.EXIT_USAGE);
        }
    }

    /**
     * Writes every file of the plan. Unless {@code force}, refuses when any target file exists, since
     * overwriting would silently replace keys that a running cluster uses.
     */
    static Membership generate(Path dir, Plan plan, boolean force, SecureRandom random) {
        int n = plan.replicaUrls().size();
        checkCounts(n, plan.clients());
        if (plan.tls()) {
            checkHttps(plan.replicaUrls());
        }
        if (!force) {
            refuseExisting(dir, n, plan.clients(), plan.tls());
        }
        List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>(n);
        List<Membership.Replica> replicas = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Ed25519.PrivateKey key = Ed25519.PrivateKey.generate(random);
            replicaKeys.add(key);
            replicas.add(new Membership.Replica(i, plan.replicaUrls().get(i), key.publicKey()));
        }
        List<ClientIdentity> identities = new ArrayList<>(plan.clients());
        List<Membership.Client> clients = new ArrayList<>(plan.clients());
        for (int j = 0; j < plan.clients(); j++) {
            ClientIdentity identity = new ClientIdentity("client-" + j, plan.chainId(), Ed25519.PrivateKey.generate(random));
            identities.add(identity);
            // client-0 is the operator's identity; the rest only submit and read
            Set<Role> roles = j == 0 ? Set.of(Role.SUBMIT, Role.READ, Role.ADMIN) : Set.of(Role.SUBMIT, Role.READ);
            clients.add(new Membership.Client(identity.clientId(), identity.privateKey().publicKey(), roles));
        }
        Membership membership;
        try {
            membership = new Membership(plan.chainId(), replicas, clients, plan.checkpointInterval());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), CliErrors.EXIT_USAGE);
        }
        for (int i = 0; i < n; i++) {
            KeyFiles.writeReplicaKey(replicaKeyFile(dir, i), new KeyFiles.ReplicaKey(i, replicaKeys.get(i)));
            String config = ReplicaConfigFile.text(i, ReplicaUrls.port(plan.replicaUrls().get(i)), plan.checkpointInterval());
            ReplicaConfigFile.write(replicaConfigFile(dir, i), plan.tls() ? config + "\n" + TlsReplicaSettings.text(i) : config);
        }
        for (int j = 0; j < identities.size(); j++) {
            KeyFiles.writeClientIdentity(clientKeyFile(dir, j), identities.get(j));
        }
        if (plan.tls()) {
            List<String> clientIds = identities.stream().map(ClientIdentity::clientId).toList();
            try {
                TlsFiles.write(dir, new TlsFiles.Plan(plan.chainId(), plan.replicaUrls(), clientIds, plan.tlsValidity()),
                        Instant.now(), random);
            } catch (UncheckedIOException e) {
                throw new CliException(e.getMessage(), e);
            }
        }
        // the membership goes last: its presence marks a complete set of files
        MembershipFile.write(membershipFile(dir), membership);
        return membership;
    }

    /** With TLS every replica serves HTTPS only, so a plain http:// URL in the membership could never be reached. */
    private static void checkHttps(List<String> urls) {
        for (String url : urls) {
            if (!url.startsWith("https://")) {
                throw new CliException("with --tls every replica URL must start with https://, got '" + url + "'", CliErrors.EXIT_USAGE);
            }
        }
    }

    private static void refuseExisting(Path dir, int replicas, int clients, boolean tls) {
        List<Path> targets = new ArrayList<>();
        targets.add(membershipFile(dir));
        for (int i = 0; i < replicas; i++) {
            targets.add(replicaKeyFile(dir, i));
            targets.add(replicaConfigFile(dir, i));
        }
        for (int j = 0; j < clients; j++) {
            targets.add(clientKeyFile(dir, j));
        }
        if (tls) {
            targets.addAll(TlsFiles.targets(dir, replicas, clients));
        }
        for (Path target : targets) {
            if (Files.exists(target)) {
                throw new CliException(target + " already exists; pass --force to replace it (this replaces the cluster's keys)");
            }
        }
    }
}
