package io.pbftledger.cli;

import io.pbftledger.bench.Bench;
import io.pbftledger.bench.BenchReport;
import io.pbftledger.bench.BenchResult;
import io.pbftledger.bench.BenchSettings;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: offers a load of pre-signed transactions to a cluster (a running one, or one it
 * starts with {@code --cluster N}), measures committed throughput and submit-to-commit latency, and
 * checks that every transaction sent committed exactly once. Exit 0 only when none was lost.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures committed throughput and latency of a cluster with pre-signed transactions, then checks "
                + "that each committed exactly once.",
                "Target a running cluster with --membership and --identities, or start a fresh local one with --cluster N.",
                "The last line is: throughput_tps=<x> p50_ms=<x> p99_ms=<x> committed=<n> lost=<n>",
                "Exit codes: 0 every transaction committed exactly once, 1 some lost or duplicated (or a failure), 2 bad usage."})
final class BenchCommand implements Callable<Integer> {
    static final int CLUSTER_CLIENTS_MAX = 1_000;
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m");

    @Spec
    private CommandSpec spec;

    @Option(names = "--membership", paramLabel = "FILE", description = "membership.yml of a running cluster.")
    private Path membershipFile;

    @Option(names = "--identities", paramLabel = "DIR", description = "Directory of client key files (keygen's clients/); all of them sign.")
    private Path identitiesDir;

    @Option(names = "--cluster", paramLabel = "N", description = "Start a fresh local cluster of N replicas (4 or more; 3f+1 is the most efficient) (temporary keys and data) instead.")
    private Integer clusterReplicas;

    @Option(names = "--transactions", paramLabel = "N", required = true, description = "Transactions to send (1..10000000).")
    private int transactions;

    @Option(names = "--concurrency", paramLabel = "C", required = true, description = "Transactions in flight at most (submitted, not yet committed).")
    private int concurrency;

    @Option(names = "--payload-bytes", paramLabel = "B", required = true, description = "Payload size in canonical JSON bytes (2..65536).")
    private int payloadBytes;

    @Option(names = "--rate", paramLabel = "R", description = "Offer a fixed load of R tx/s (still at most C in flight) instead of a closed loop.")
    private Double rate;

    @Option(names = "--duration", paramLabel = "S", description = "Stop sending after S seconds (what was sent is still awaited and audited).")
    private Double durationSeconds;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the figures as JSON to this file.")
    private Path jsonOut;

    @Option(names = "--batch-size", paramLabel = "K", defaultValue = "1",
            description = "Transactions per request: 1 posts each with ?wait=true, more use /api/v1/transactions/batch (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--warmup-transactions", paramLabel = "W", defaultValue = "0",
            description = "Transactions sent the same way before the measurement, to warm up the JVMs (default: ${DEFAULT-VALUE}).")
    private int warmupTransactions;

    @Option(names = "--drain-timeout-seconds", paramLabel = "S", defaultValue = "60",
            description = "After sending, how long to wait for outstanding commits (default: ${DEFAULT-VALUE}).")
    private long drainTimeoutSeconds;

    @Option(names = "--wait-ms", paramLabel = "MS", defaultValue = "30000",
            description = "waitMs of each ?wait=true submission; a transaction still PENDING is sent again to the next replica"
                    + " (with --batch-size > 1: batch items not committed after this long are; default: ${DEFAULT-VALUE}).")
    private long waitMs;

    @Option(names = "--clients", paramLabel = "M", defaultValue = "8", description = "With --cluster: client identities to generate (default: ${DEFAULT-VALUE}).")
    private int clusterClients;

    @Option(names = "--jvm-option", paramLabel = "OPT", description = "With --cluster: JVM option of each replica, repeatable (default: -Xmx512m); {replica} stands for the replica's id, e.g. --jvm-option=-XX:StartFlightRecording=filename=replica{replica}.jfr.")
    private List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--replica-arg", paramLabel = "ARG",
            description = "With --cluster: extra argument of each replica's node command, repeatable, e.g. --replica-arg=--ledger.batch.max-transactions=1000; {replica} stands for the replica's id, e.g. --replica-arg=--spring.datasource.url=jdbc:postgresql://127.0.0.1/ledger{replica}.")
    private List<String> replicaArgs = new ArrayList<>();

    @Option(names = "--start-timeout-seconds", paramLabel = "S", defaultValue = "180",
            description = "With --cluster: how long to wait for the replicas to become healthy (default: ${DEFAULT-VALUE}).")
    private long startTimeoutSeconds;

    @Option(names = "--keep-cluster", description = "With --cluster: keep its temporary directory (keys, databases, logs).")
    private boolean keepCluster;

    @Override
    public Integer call() throws InterruptedException {
        checkUsage();
        PrintWriter out = spec.commandLine().getOut();
        if (clusterReplicas == null) {
            Membership membership = MembershipFile.load(membershipFile);
            return run(membership, submitters(membership, KeyFiles.loadClientIdentities(identitiesDir)), out);
        }
        try (BenchCluster cluster = BenchCluster.start(clusterReplicas, clusterClients,
                jvmOptions.isEmpty() ? DEFAULT_JVM_OPTIONS : jvmOptions, replicaArgs, startTimeoutSeconds, out)) {
            int exit = 1;
            try {
                exit = run(cluster.membership(), cluster.clients(), out);
            } finally {
                if (keepCluster || exit != 0) {
                    cluster.keepFiles();
                    out.println("cluster files kept in " + cluster.dir());
                    out.flush();
                }
            }
            return exit;
        }
    }

    private int run(Membership membership, List<ClientIdentity> clients, PrintWriter out) throws InterruptedException {
        List<String> urls = membership.replicas().stream().map(Membership.Replica::url).toList();
        BenchSettings settings = new BenchSettings(urls, clients, transactions, warmupTransactions, concurrency, payloadBytes,
                batchSize, rate == null ? 0 : rate, durationSeconds == null ? null : Duration.ofMillis((long) (durationSeconds * 1000)),
                Duration.ofSeconds(drainTimeoutSeconds), waitMs, firstNonce());
        BenchResult result;
        try {
            result = new Bench(settings).run(out, System.console() != null ? out : null);
        } catch (IOException e) {
            throw new CliException("the cluster did not answer: " + e.getMessage(), e);
        }
        BenchReport.lines(result).forEach(out::println);
        out.flush();
        if (jsonOut != null) {
            writeJson(result);
        }
        if (!result.exactlyOnce()) {
            throw new CliException(result.lost() + " transactions lost and " + result.duplicated() + " committed more than once (of "
                    + result.sent() + " sent)");
        }
        return 0;
    }

    /** Nonces from the current time in microseconds: a later run on the same chain never reuses one. */
    private static long firstNonce() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private void checkUsage() {
        boolean running = membershipFile != null || identitiesDir != null;
        if (clusterReplicas != null && running) {
            usage("--cluster starts its own cluster; it cannot be combined with --membership or --identities");
        }
        if (clusterReplicas == null && (membershipFile == null || identitiesDir == null)) {
            usage("give --membership and --identities of a running cluster, or --cluster N to start one");
        }
        if (clusterReplicas != null) {
            if (clusterReplicas < 4 || clusterReplicas > ClusterKeys.REPLICAS_MAX) {
                usage("--cluster must be between 4 and " + ClusterKeys.REPLICAS_MAX + ", got " + clusterReplicas);
            }
            if (clusterClients < 1 || clusterClients > CLUSTER_CLIENTS_MAX) {
                usage("--clients must be between 1 and " + CLUSTER_CLIENTS_MAX + ", got " + clusterClients);
            }
            if (startTimeoutSeconds < 1) {
                usage("--start-timeout-seconds must be at least 1, got " + startTimeoutSeconds);
            }
        }
        range("--transactions", transactions, 1, BenchSettings.TRANSACTIONS_MAX);
        range("--concurrency", concurrency, 1, BenchSettings.CONCURRENCY_MAX);
        range("--payload-bytes", payloadBytes, 2, 65_536);
        range("--batch-size", batchSize, 1, BenchSettings.BATCH_SIZE_MAX);
        range("--warmup-transactions", warmupTransactions, 0, BenchSettings.TRANSACTIONS_MAX);
        range("--drain-timeout-seconds", drainTimeoutSeconds, 0, 86_400);
        range("--wait-ms", waitMs, 1, BenchSettings.WAIT_MAX_MS);
        if (batchSize > concurrency) {
            usage("--batch-size " + batchSize + " exceeds --concurrency " + concurrency + " (a batch is in flight as a whole)");
        }
        if (rate != null && !(rate > 0 && Double.isFinite(rate))) {
            usage("--rate must be a positive number of transactions per second, got " + rate);
        }
        if (durationSeconds != null && !(durationSeconds >= 0.001 && durationSeconds <= 86_400)) {
            usage("--duration must be between 0.001 and 86400 seconds, got " + durationSeconds);
        }
        if (jsonOut != null && jsonOut.toAbsolutePath().getParent() != null && !Files.isDirectory(jsonOut.toAbsolutePath().getParent())) {
            usage("--json " + jsonOut + ": directory " + jsonOut.toAbsolutePath().getParent() + " does not exist");
        }
    }

    /** The identities of {@code membership}'s chain that are members with that key and may submit; all must be. */
    private List<ClientIdentity> submitters(Membership membership, List<ClientIdentity> identities) {
        for (ClientIdentity identity : identities) {
            if (!identity.chainId().equals(membership.chainId())) {
                throw new CliException(identitiesDir + ": " + identity.clientId() + " is for chain " + identity.chainId() + ", but "
                        + membershipFile + " is chain " + membership.chainId());
            }
            Optional<Membership.Client> member = membership.client(identity.clientId());
            if (member.isEmpty() || !member.get().publicKey().equals(identity.privateKey().publicKey())) {
                throw new CliException(identitiesDir + ": " + identity.clientId() + " is not in " + membershipFile + " with that key");
            }
            if (!member.get().may(Role.SUBMIT)) {
                throw new CliException(identitiesDir + ": " + identity.clientId() + " lacks the submit role in " + membershipFile);
            }
        }
        return identities;
    }

    private void writeJson(BenchResult result) {
        try {
            Files.writeString(jsonOut, BenchReport.json(result) + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot write --json " + jsonOut + ": " + e.getMessage(), e);
        }
    }

    private static void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            usage(option + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void usage(String message) {
        throw new CliException(message, CliErrors.EXIT_USAGE);
    }
}
