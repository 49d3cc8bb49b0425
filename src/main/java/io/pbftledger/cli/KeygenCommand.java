package io.pbftledger.cli;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keygen}: generates a cluster's membership, replica keys and configs, and client keys. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generates membership.yml, replicas/replica-<i>.key and .yml, and clients/client-<j>.key under --out.",
                "Replica URLs come from --host and --base-port (port = base-port + i) or from --url-template."})
final class KeygenCommand implements Callable<Integer> {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_BASE_PORT = 8080;

    @Spec
    private CommandSpec spec;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "4", description = "Number of replicas, 3f+1 (default: ${DEFAULT-VALUE}).")
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
        List<String> urls = urlTemplate != null
                ? ReplicaUrls.fromTemplate(urlTemplate, replicas)
                : ReplicaUrls.fromHost(host != null ? host : DEFAULT_HOST, basePort != null ? basePort : DEFAULT_BASE_PORT, replicas);
        Membership membership = ClusterKeys.generate(out, new ClusterKeys.Plan(chain, urls, clients), force, random);
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
        w.printf("start replica 0 with: pbft-ledger node --config %s%n", ClusterKeys.replicaConfigFile(out, 0));
        w.flush();
    }
}
