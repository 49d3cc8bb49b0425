package io.pbftledger.cli;

import io.pbftledger.chain.Membership;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a whole cluster on this machine. Generates keys on the first start, runs each
 * replica as a child JVM, waits until all are healthy, prints where to look, and stops them on
 * Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a local cluster: one child JVM per replica on 127.0.0.1, keys in <data-dir>/keys (generated on first start).",
                "Stop it with Ctrl-C."})
final class DemoCommand implements Callable<Integer> {
    static final String HOST = "127.0.0.1";
    static final int CLIENTS = 2;
    static final long POLL_INTERVAL_MS = 500;
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

    @Spec
    private CommandSpec spec;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "4", description = "Number of replicas, at least 4; f = (n-1)/3 of them may be faulty (default: ${DEFAULT-VALUE}).")
    private int replicas;

    @Option(names = "--base-port", paramLabel = "P", defaultValue = "8080", description = "Port of replica 0; replica i gets P + i (default: ${DEFAULT-VALUE}).")
    private int basePort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data", description = "Keys and replica data (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--start-timeout-seconds", paramLabel = "S", defaultValue = "180",
            description = "How long to wait for every replica to become healthy (default: ${DEFAULT-VALUE}).")
    private long startTimeoutSeconds;

    @Option(names = "--jvm-option", paramLabel = "OPT",
            description = "JVM option for each replica, repeatable, e.g. --jvm-option=-Xmx1g (default: -Xmx384m -XX:TieredStopAtLevel=1).")
    private List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--bind-address", paramLabel = "ADDR", defaultValue = HOST,
            description = {"Address the replicas listen on (default: ${DEFAULT-VALUE}, this machine only).",
                    "Any other address, or --tls, turns the demo signer (POST /api/v1/demo/sign) off: it signs for whoever reaches it."})
    private String bindAddress;

    @Option(names = "--tls", description = "Generate the keys with keygen --tls on the first start: replicas serve HTTPS and use mutual TLS.")
    private boolean tls;

    @Override
    public Integer call() throws InterruptedException {
        ClusterKeys.checkCounts(replicas, CLIENTS);
        if (startTimeoutSeconds < 1) {
            throw new CliException("--start-timeout-seconds must be at least 1", CliErrors.EXIT_USAGE);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path data = dataDir.toAbsolutePath().normalize();
        Path keys = data.resolve("keys");
        List<String> urls = ReplicaUrls.fromHost(HOST, basePort, replicas);
        if (tls) {
            urls = urls.stream().map(url -> "https://" + url.substring("http://".length())).toList();
        }
        DemoKeys.Prepared prepared = DemoKeys.prepare(keys, urls, CLIENTS, tls);
        out.println("[demo] " + (prepared.reused() ? "reusing" : "generated") + " keys in " + keys + " (chain " + prepared.membership().chainId() + ")");
        out.flush();
        checkPortsFree(urls);
        DemoReplicas children = new DemoReplicas(out);
        Thread hook = new Thread(children::stopAll, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<String> options = jvmOptions.isEmpty() ? DEFAULT_JVM_OPTIONS : jvmOptions;
            boolean signer = !tls && isLoopback(bindAddress);
            if (!signer) {
                out.println("[demo] the demo signer is off (it runs only without --tls on a loopback --bind-address); "
                        + "sign with: client sign --identity " + keys.resolve("clients/client-1.key"));
                out.flush();
            }
            for (int i = 0; i < replicas; i++) {
                children.start(i, ChildJvm.command(options, nodeArgs(keys, data, i, bindAddress, signer)));
            }
            awaitHealthy(children, urls, new HealthProbe(tls ? new TlsOptions().sslContext(ClusterKeys.membershipFile(keys)) : Optional.empty()));
            DemoBanner.print(out, prepared.membership(), keys);
            children.awaitAll();
            return children.isStopping() ? 0 : CliErrors.EXIT_FAILURE;
        } catch (RuntimeException | InterruptedException e) {
            children.stopAll();
            throw e;
        } finally {
            removeHook(hook);
        }
    }

    static List<String> nodeArgs(Path keys, Path data, int id) {
        return nodeArgs(keys, data, id, HOST, true);
    }

    /** Replica {@code id}'s arguments: listening on {@code bindAddress}, with the demo signer when {@code signer}. */
    static List<String> nodeArgs(Path keys, Path data, int id, String bindAddress, boolean signer) {
        List<String> args = new ArrayList<>(List.of("node",
                "--config", ClusterKeys.replicaConfigFile(keys, id).toString(),
                "--server.address=" + bindAddress));
        if (signer) {
            args.add("--ledger.demo.enabled=true");
            args.add("--ledger.demo.identities-dir=" + keys.resolve("clients"));
        }
        args.add("--ledger.data-dir=" + data.resolve("replica-" + id));
        args.add("--spring.main.banner-mode=off");
        return List.copyOf(args);
    }

    static boolean isLoopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static void checkPortsFree(List<String> urls) {
        for (int i = 0; i < urls.size(); i++) {
            int port = ReplicaUrls.port(urls.get(i));
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(HOST, port));
            } catch (IOException e) {
                throw new CliException("port " + port + " (replica " + i + ") is in use; stop what uses it or pass another --base-port");
            }
        }
    }

    private void awaitHealthy(DemoReplicas children, List<String> urls, HealthProbe probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startTimeoutSeconds);
        boolean[] up = new boolean[urls.size()];
        int upCount = 0;
        while (upCount < urls.size()) {
            for (int i = 0; i < urls.size(); i++) {
                if (up[i]) {
                    continue;
                }
                Process p = children.process(i);
                if (!p.isAlive()) {
                    throw new CliException("replica " + i + " exited with code " + p.exitValue() + " before it became healthy (see its output above)");
                }
                if (probe.isUp(urls.get(i))) {
                    up[i] = true;
                    upCount++;
                }
            }
            if (upCount < urls.size()) {
                if (System.nanoTime() > deadline) {
                    throw new CliException((urls.size() - upCount) + " replicas did not answer /actuator/health within " + startTimeoutSeconds
                            + " s (see their output above)");
                }
                Thread.sleep(POLL_INTERVAL_MS);
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook is running: nothing to undo
        }
    }
}
