package io.pbftledger.cli;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.config.KeyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench --cluster N}: a throw-away local cluster. Fresh keys and data directories in a
 * temporary directory, one child JVM per replica (as {@code demo} runs them, output into
 * {@code replica-<i>.log} there), started on free loopback ports and awaited until healthy. Closing
 * stops the replicas and deletes the directory, unless the run failed, when the logs are kept.
 */
final class BenchCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT_RANGE_ATTEMPTS = 50;
    static final long HEALTH_POLL_MS = 250;

    private final Path dir;
    private final Membership membership;
    private final List<ClientIdentity> clients;
    private final List<Process> processes = new ArrayList<>();
    private boolean keep;

    private BenchCluster(Path dir, Membership membership, List<ClientIdentity> clients) {
        this.dir = dir;
        this.membership = membership;
        this.clients = clients;
    }

    /** Generates keys, starts {@code replicas} replicas with {@code jvmOptions} and {@code replicaArgs}, waits for health. */
    static BenchCluster start(int replicas, int clientCount, List<String> jvmOptions, List<String> replicaArgs,
                              long startTimeoutSeconds, PrintWriter log) throws InterruptedException {
        Path dir;
        try {
            dir = Files.createTempDirectory("pbft-bench-");
        } catch (IOException e) {
            throw new CliException("cannot create a temporary directory for the cluster: " + e.getMessage(), e);
        }
        Path keys = dir.resolve("keys");
        List<String> urls = ReplicaUrls.fromHost(HOST, freePortRange(replicas), replicas);
        String chainId = ClusterKeys.randomChainId("pbft-bench-", new SecureRandom());
        Membership membership = ClusterKeys.generate(keys, new ClusterKeys.Plan(chainId, urls, clientCount), false, new SecureRandom());
        BenchCluster cluster = new BenchCluster(dir, membership, KeyFiles.loadClientIdentities(keys.resolve("clients")));
        try {
            for (int i = 0; i < replicas; i++) {
                cluster.launch(i, ChildJvm.command(forReplica(jvmOptions, i), nodeArgs(dir, i, replicaArgs)));
            }
            log.println("started " + replicas + " replicas in " + dir + "; waiting until they are healthy");
            log.flush();
            cluster.awaitHealthy(startTimeoutSeconds);
            return cluster;
        } catch (RuntimeException | InterruptedException e) {
            cluster.keep = true;
            cluster.close();
            throw e;
        }
    }

    /**
     * In a replica argument or JVM option, stands for the replica's id (e.g. one PostgreSQL database or
     * one flight recording per replica).
     */
    static final String REPLICA_PLACEHOLDER = "{replica}";

    static List<String> forReplica(List<String> options, int id) {
        return options.stream().map(option -> option.replace(REPLICA_PLACEHOLDER, Integer.toString(id))).toList();
    }

    static List<String> nodeArgs(Path dir, int id, List<String> replicaArgs) {
        List<String> args = new ArrayList<>(List.of("node",
                "--config", ClusterKeys.replicaConfigFile(dir.resolve("keys"), id).toString(),
                "--ledger.data-dir=" + dir.resolve("replica-" + id),
                "--spring.main.banner-mode=off"));
        args.addAll(forReplica(replicaArgs, id));
        return args;
    }

    Membership membership() {
        return membership;
    }

    List<ClientIdentity> clients() {
        return clients;
    }

    Path dir() {
        return dir;
    }

    /** Keep the directory (keys, databases, logs) after closing, for a look at what went wrong. */
    void keepFiles() {
        keep = true;
    }

    private void launch(int id, List<String> command) {
        try {
            processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("replica-" + id + ".log").toFile()).start());
        } catch (IOException e) {
            throw new CliException("cannot start replica " + id + ": " + e.getMessage(), e);
        }
    }

    private void awaitHealthy(long timeoutSeconds) throws InterruptedException {
        HealthProbe probe = new HealthProbe();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int i = 0; i < processes.size(); i++) {
            while (!probe.isUp(membership.replica(i).url())) {
                Process p = processes.get(i);
                if (!p.isAlive()) {
                    throw new CliException("replica " + i + " exited with code " + p.exitValue() + " before it became healthy (see "
                            + dir.resolve("replica-" + i + ".log") + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new CliException("replica " + i + " did not answer /actuator/health within " + timeoutSeconds + " s (see "
                            + dir.resolve("replica-" + i + ".log") + ")");
                }
                Thread.sleep(HEALTH_POLL_MS);
            }
        }
    }

    private static int freePortRange(int count) {
        for (int attempt = 0; attempt < PORT_RANGE_ATTEMPTS; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new CliException("found no " + count + " free consecutive ports on " + HOST);
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(DemoReplicas.STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (!keep) {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
