package io.pbftledger.cli;

import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaOp;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.tls.TlsFiles;
import io.pbftledger.cli.tls.TlsReplicaSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keygen}: generates a cluster's membership, replica keys and configs, and client keys. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generates membership.yml, replicas/replica-<i>.key and .yml, and clients/client-<j>.key under --out.",
                "Replica URLs come from --host and --base-port (port = base-port + i) or from --url-template.",
                "--tls adds tls/ca.crt, tls/ca.key and a certificate and key per replica and client, and per client a PKCS#12",
                "file for browsers with its password (see README, TLS).",
                "--join --id I --url URL --membership FILE writes only replicas/replica-<I>.key and .yml for a replica that",
                "joins an existing cluster (or a new key for a rotation); it never touches an existing file."})
final class KeygenCommand implements Callable<Integer> {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_BASE_PORT = 8080;
    static final int TLS_VALIDITY_MAX_DAYS = 3_650;

    @Spec
    private CommandSpec spec;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "4", description = "Number of replicas, at least 4; f = (n-1)/3 of them may be faulty (default: ${DEFAULT-VALUE}).")
    private int replicas;

    @Option(names = "--clients", paramLabel = "M", defaultValue = "1",
            description = "Number of client identities (default: ${DEFAULT-VALUE}); client-0 also gets the admin role.")
    private int clients;

    @Option(names = "--host", paramLabel = "HOST", description = "Host in the replica URLs (default: " + DEFAULT_HOST + ").")
    private String host;

    @Option(names = "--base-port", paramLabel = "P", description = "Port of replica 0; replica i gets P + i (default: " + DEFAULT_BASE_PORT + ").")
    private Integer basePort;

    @Option(names = "--url-template", paramLabel = "TEMPLATE",
            description = "Replica URL with {i} for the replica id, e.g. 'http://ledger-{i}.ledger:8080'; replaces --host/--base-port.")
    private String urlTemplate;

    @Option(names = "--chain-id", paramLabel = "ID", description = "Chain id, [A-Za-z0-9._-]{1,64} (default: pbft- and random hex).")
    private String chainId;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write into (created if missing).")
    private Path out;

    @Option(names = "--force", description = "Overwrite existing files (replaces every key).")
    private boolean force;

    @Option(names = "--tls", description = {"Also write a cluster CA, a certificate per replica and per client under tls/ (PEM, ECDSA P-256),",
            "make the replica URLs https:// and give each replica yml its TLS settings.",
            "With --join: issue the joining replica's certificate from the cluster CA under --out/tls (done whenever that CA is there)."})
    private boolean tls;

    @Option(names = "--tls-validity-days", paramLabel = "DAYS", defaultValue = "730",
            description = "How long the TLS certificates are valid, 1.." + TLS_VALIDITY_MAX_DAYS + " (default: ${DEFAULT-VALUE}).")
    private int tlsValidityDays;

    @Option(names = "--checkpoint-interval", paramLabel = "K",
            description = {"Fix the checkpoint interval K in membership.yml, as part of the genesis (replica-set changes "
                    + "take effect at multiples of it, so every replica and verifier must use the same); the replica "
                    + "configurations get ledger.checkpoint-interval K and ledger.watermark-window 2K. Without it, K is "
                    + "each replica's ledger.checkpoint-interval (default 100)."})
    private Long checkpointInterval;

    @Option(names = "--join", description = "Write the key and node configuration of one new replica of an existing "
            + "cluster (with --id, --url, --membership) instead of a new cluster.")
    private boolean join;

    @Option(names = "--id", paramLabel = "I", description = "With --join: the new replica's id, 0..99.")
    private Integer joinId;

    @Option(names = "--url", paramLabel = "URL", description = "With --join: the new replica's base URL, http(s)://host:port.")
    private String joinUrl;

    @Option(names = "--membership", paramLabel = "FILE", description = "With --join: the cluster's membership.yml.")
    private Path joinMembership;

    @Override
    public Integer call() {
        if (join || joinId != null || joinUrl != null || joinMembership != null) {
            return join();
        }
        ClusterKeys.checkCounts(replicas, clients);
        if (urlTemplate != null && (host != null || basePort != null)) {
            throw new CliException("--url-template replaces --host and --base-port; give one or the other", CliErrors.EXIT_USAGE);
        }
        SecureRandom random = new SecureRandom();
        String chain = chainId != null ? chainId : ClusterKeys.randomChainId("pbft-", random);
        if (!Transaction.ID_PATTERN.matcher(chain).matches()) {
            throw new CliException("--chain-id '" + chain + "' must match " + Transaction.ID_PATTERN.pattern(), CliErrors.EXIT_USAGE);
        }
        if (tlsValidityDays < 1 || tlsValidityDays > TLS_VALIDITY_MAX_DAYS) {
            throw new CliException("--tls-validity-days must be between 1 and " + TLS_VALIDITY_MAX_DAYS + ", got " + tlsValidityDays,
                    CliErrors.EXIT_USAGE);
        }
        List<String> urls = urlTemplate != null
                ? ReplicaUrls.fromTemplate(urlTemplate, replicas)
                : ReplicaUrls.fromHost(host != null ? host : DEFAULT_HOST, basePort != null ? basePort : DEFAULT_BASE_PORT, replicas);
        if (tls && urlTemplate == null) {
            urls = urls.stream().map(url -> "https://" + url.substring("http://".length())).toList();
        }
        if (tls && urlTemplate != null && !urlTemplate.startsWith("https://")) {
            throw new CliException("with --tls, --url-template must start with https://, got '" + urlTemplate + "'", CliErrors.EXIT_USAGE);
        }
        if (checkpointInterval != null && (checkpointInterval < 1 || checkpointInterval > Membership.CHECKPOINT_INTERVAL_MAX)) {
            throw new CliException("--checkpoint-interval must be between 1 and " + Membership.CHECKPOINT_INTERVAL_MAX
                    + ", got " + checkpointInterval, CliErrors.EXIT_USAGE);
        }
        Membership membership = ClusterKeys.generate(out, new ClusterKeys.Plan(chain, urls, clients, tls,
                Duration.ofDays(tlsValidityDays), checkpointInterval == null ? 0 : checkpointInterval), force, random);
        report(spec.commandLine().getOut(), membership);
        return 0;
    }

    /**
     * A key and a node configuration for one replica that joins {@code --membership}'s cluster: the
     * configuration sets {@code ledger.join}, so the replica starts without being in the membership
     * file and learns the replica set from the chain.
     */
    private int join() {
        if (!join || joinId == null || joinUrl == null || joinMembership == null) {
            throw new CliException("--join needs --id, --url and --membership (and --id, --url, --membership need --join)",
                    CliErrors.EXIT_USAGE);
        }
        if (force || chainId != null || urlTemplate != null || host != null || basePort != null
                || checkpointInterval != null) {
            throw new CliException("--join takes only --id, --url, --membership, --out and --tls", CliErrors.EXIT_USAGE);
        }
        // A cluster keygen --tls made keeps its CA under --out/tls: the joiner gets a certificate from it.
        boolean withTls = tls || TlsFiles.hasAuthority(out);
        if (withTls && !TlsFiles.hasAuthority(out)) {
            throw new CliException("--join --tls needs the cluster CA that keygen --tls wrote: " + TlsFiles.caCertificate(out)
                    + " and " + TlsFiles.caKey(out) + " (give the cluster's keys directory as --out)", CliErrors.EXIT_USAGE);
        }
        if (withTls && !joinUrl.startsWith("https://")) {
            throw new CliException("the cluster uses TLS (" + TlsFiles.caKey(out) + "), so --url must start with https://, got '"
                    + joinUrl + "'", CliErrors.EXIT_USAGE);
        }
        Membership membership = io.pbftledger.config.MembershipFile.load(joinMembership);
        Ed25519.PrivateKey key = Ed25519.PrivateKey.generate(new SecureRandom());
        String url;
        try {
            ReplicaOp.Add add = (ReplicaOp.Add) ReplicaOp.parse(new ReplicaOp.Add(joinId, joinUrl, key.publicKey()).toJson());
            url = add.url();
        } catch (LedgerException e) {
            throw new CliException(e.getMessage(), CliErrors.EXIT_USAGE);
        }
        Path keyFile = ClusterKeys.replicaKeyFile(out, joinId);
        Path configFile = ClusterKeys.replicaConfigFile(out, joinId);
        List<Path> written = new java.util.ArrayList<>(List.of(keyFile, configFile));
        if (withTls) {
            written.addAll(List.of(TlsFiles.replicaCertificate(out, joinId), TlsFiles.replicaKey(out, joinId)));
        }
        for (Path existing : written) {
            if (java.nio.file.Files.exists(existing)) {
                throw new CliException(existing + " exists; keygen --join never replaces a file (choose another --out)");
            }
        }
        Path membershipPath = configFile.toAbsolutePath().getParent().relativize(joinMembership.toAbsolutePath());
        if (withTls) {
            try {
                TlsFiles.writeJoiningReplica(out, membership.chainId(), joinId, url, Duration.ofDays(tlsValidityDays),
                        java.time.Instant.now(), new SecureRandom());
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new CliException(e.getMessage(), e);
            }
        }
        KeyFiles.writeReplicaKey(keyFile, new KeyFiles.ReplicaKey(joinId, key));
        String config = ReplicaConfigFile.text(joinId, ReplicaUrls.port(url), membership.checkpointInterval())
                .replace("membership-file: ../membership.yml", "membership-file: " + membershipPath.toString().replace('\\', '/'))
                + "  # Not in the membership file: an admin adds it with a replica-set change (admin replicas add).\n"
                + "  join: true\n"
                + (withTls ? "\n" + TlsReplicaSettings.text(joinId) : "");
        ReplicaConfigFile.write(configFile, config);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("replica %d of chain %s at %s%n", joinId, membership.chainId(), url);
        w.printf("  %s, %s%n", keyFile, configFile.getFileName());
        w.printf("  publicKey: %s%n", key.publicKey().toBase64());
        w.printf("add it with: pbft-ledger admin replicas add --membership %s --identity <admin key file> --id %d "
                + "--url %s --public-key %s --wait%n", joinMembership, joinId, url, key.publicKey().toBase64());
        w.printf("then start it with: pbft-ledger node --config %s%n", configFile);
        w.flush();
        return 0;
    }

    private void report(PrintWriter w, Membership membership) {
        w.printf("chain %s: %d replicas (f = %d), %d clients%n", membership.chainId(), membership.n(), membership.f(), membership.clients().size());
        w.printf("  %s%n", ClusterKeys.membershipFile(out));
        for (Membership.Replica r : membership.replicas()) {
            w.printf("  %s, %s  (%s)%n", ClusterKeys.replicaKeyFile(out, r.id()), ClusterKeys.replicaConfigFile(out, r.id()).getFileName(), r.url());
        }
        for (int j = 0; j < membership.clients().size(); j++) {
            w.printf("  %s%n", ClusterKeys.clientKeyFile(out, j));
        }
        if (tls) {
            w.printf("  %s (keep %s secret: it can issue certificates for this cluster)%n",
                    TlsFiles.caCertificate(out), TlsFiles.caKey(out).getFileName());
            w.printf("  %s/replica-<i>.crt and .key, client-<j>.crt and .key%n", TlsFiles.caCertificate(out).getParent());
            w.printf("  %s/client-<j>.p12 for browsers (its password is in client-<j>.p12.password)%n",
                    TlsFiles.caCertificate(out).getParent());
        }
        w.printf("start replica 0 with: pbft-ledger node --config %s%n", ClusterKeys.replicaConfigFile(out, 0));
        w.flush();
    }
}
