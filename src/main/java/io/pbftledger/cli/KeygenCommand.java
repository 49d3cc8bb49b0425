package io.pbftledger.cli;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.tls.TlsFiles;
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
                "file for browsers with its password (see README, TLS)."})
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
            "make the replica URLs https:// and give each replica yml its TLS settings."})
    private boolean tls;

    @Option(names = "--tls-validity-days", paramLabel = "DAYS", defaultValue = "730",
            description = "How long the TLS certificates are valid, 1.." + TLS_VALIDITY_MAX_DAYS + " (default: ${DEFAULT-VALUE}).")
    private int tlsValidityDays;

    @Override
    public Integer call() {
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
        Membership membership = ClusterKeys.generate(out,
                new ClusterKeys.Plan(chain, urls, clients, tls, Duration.ofDays(tlsValidityDays)), force, random);
        report(spec.commandLine().getOut(), membership);
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
