package io.pbftledger.cluster;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.config.KeyFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * A cluster of real replica processes on loopback: keys from the {@code keygen} command, each
 * replica a separate JVM started with {@code node --config}, talking real HTTP. Output of each
 * replica goes to {@code <dir>/replica-<i>.log}. With {@link #startTls} the replicas serve HTTPS and
 * call each other over mutual TLS, and this class's requests trust the cluster CA.
 */
final class LocalCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Each replica's heap limit (-Xmx). */
    static final int HEAP_MAX_MIB = 256;

    final Path dir;
    final int replicas;
    final int basePort;
    final List<ClientIdentity> clients;
    /** Whether the replicas serve HTTPS with mutual TLS between them (keygen --tls). */
    final boolean tls;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http;

    private final IntFunction<List<String>> extraArgs;

    private LocalCluster(Path dir, int replicas, int basePort, List<ClientIdentity> clients,
                         IntFunction<List<String>> extraArgs, boolean tls) {
        this.dir = dir;
        this.replicas = replicas;
        this.basePort = basePort;
        this.clients = clients;
        this.extraArgs = extraArgs;
        this.tls = tls;
        // over TLS the test talks as a client without a certificate: it trusts the cluster CA only
        this.http = tls ? httpClient(sslContext(caFile(dir), null, null)) : httpClient(null);
    }

    static LocalCluster start(Path dir, int replicas, int clientCount) throws Exception {
        return start(dir, replicas, clientCount, i -> List.of());
    }

    /** Starts a cluster whose replica {@code i} gets {@code extraArgs.apply(i)} (Spring overrides). */
    static LocalCluster start(Path dir, int replicas, int clientCount, IntFunction<List<String>> extraArgs)
            throws Exception {
        return start(dir, replicas, clientCount, extraArgs, false);
    }

    /** As {@link #start(Path, int, int, IntFunction)}, with keys from {@code keygen --tls}: HTTPS and mutual TLS. */
    static LocalCluster startTls(Path dir, int replicas, int clientCount, IntFunction<List<String>> extraArgs)
            throws Exception {
        return start(dir, replicas, clientCount, extraArgs, true);
    }

    /**
     * As {@link #startTls(Path, int, int, IntFunction)}, launching only replicas 0..{@code running}-1
     * of the {@code replicas} the membership lists (the others stay down, as crashed replicas would).
     */
    static LocalCluster startTls(Path dir, int replicas, int clientCount, IntFunction<List<String>> extraArgs, int running)
            throws Exception {
        return start(dir, replicas, clientCount, extraArgs, true, running);
    }

    private static LocalCluster start(Path dir, int replicas, int clientCount, IntFunction<List<String>> extraArgs,
                                      boolean tls) throws Exception {
        return start(dir, replicas, clientCount, extraArgs, tls, replicas);
    }

    /**
     * As {@link #start(Path, int, int, IntFunction)}, keeping the ports of {@code spare} more replicas
     * free (ids n..n+spare-1), for replicas that join later ({@link #launchJoining}).
     */
    static LocalCluster startWithSpares(Path dir, int replicas, int clientCount, IntFunction<List<String>> extraArgs,
                                        int spare) throws Exception {
        return start(dir, replicas, clientCount, extraArgs, false, replicas, spare);
    }

    private static LocalCluster start(Path dir, int replicas, int clientCount, IntFunction<List<String>> extraArgs,
                                      boolean tls, int running) throws Exception {
        return start(dir, replicas, clientCount, extraArgs, tls, running, 0);
    }

    private static LocalCluster start(Path dir, int replicas, int clientCount, IntFunction<List<String>> extraArgs,
                                      boolean tls, int running, int spare) throws Exception {
        if (running < 1 || running > replicas) {
            throw new IllegalArgumentException("running must be 1.." + replicas + ", got " + running);
        }
        int basePort = freePortRange(replicas + spare);
        List<String> keygen = new ArrayList<>(List.of("keygen", "--replicas", String.valueOf(replicas),
                "--clients", String.valueOf(clientCount), "--base-port", String.valueOf(basePort),
                "--host", "127.0.0.1", "--out", dir.resolve("keys").toString()));
        if (tls) {
            keygen.add("--tls");
        }
        // A cluster run with another checkpoint interval fixes it in the membership file (the genesis),
        // as an operator would: every replica and verifier then judges replica-set changes by it.
        extraArgs.apply(0).stream().filter(a -> a.startsWith("--ledger.checkpoint-interval=")).findFirst()
                .ifPresent(a -> keygen.addAll(List.of("--checkpoint-interval", a.substring(a.indexOf('=') + 1))));
        int exit = PbftLedgerCli.newCommandLine().execute(keygen.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("keygen exited " + exit);
        }
        LocalCluster cluster = new LocalCluster(dir, replicas, basePort,
                KeyFiles.loadClientIdentities(dir.resolve("keys/clients")), extraArgs, tls);
        try {
            for (int i = 0; i < running; i++) {
                cluster.processes.add(cluster.launch(i));
            }
            for (int i = 0; i < running; i++) {
                cluster.awaitHealthy(i);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // The caller gets no cluster to close: the replicas started so far must not outlive the test.
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private Process launch(int i) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + HEAP_MAX_MIB + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), PbftLedgerCli.class.getName(),
                "node", "--config", dir.resolve("keys/replicas/replica-" + i + ".yml").toString()));
        command.addAll(extraArgs.apply(i));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(i).toFile()))
                .start();
    }

    /**
     * Starts replica {@code i}, the next id after the running ones, from the configuration that
     * {@code keygen --join} wrote under keys/replicas, and waits until it answers.
     */
    void launchJoining(int i) throws IOException, InterruptedException {
        if (i != processes.size()) {
            throw new IllegalArgumentException("the next replica is " + processes.size() + ", not " + i);
        }
        processes.add(launch(i));
        awaitHealthy(i);
    }

    /** The directory the cluster's files are under (keys/, data/). */
    Path dir() {
        return dir;
    }

    /** SIGKILL: no shutdown hook runs, nothing unsynced survives. */
    void kill(int i) throws InterruptedException {
        Process p = processes.get(i);
        p.destroyForcibly();
        p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Starts replica {@code i} again on its data directory and waits until it answers. */
    void restart(int i) throws IOException, InterruptedException {
        if (processes.get(i).isAlive()) {
            throw new IllegalStateException("replica " + i + " is still running");
        }
        processes.set(i, launch(i));
        awaitHealthy(i);
    }

    /** CPU time replica {@code i}'s process has used so far (zero where the platform does not tell). */
    Duration cpu(int i) {
        return processes.get(i).info().totalCpuDuration().orElse(Duration.ZERO);
    }

    boolean alive(int i) {
        return processes.get(i).isAlive();
    }

    String url(int replica) {
        return (tls ? "https" : "http") + "://127.0.0.1:" + (basePort + replica);
    }

    /** The cluster CA certificate that keygen --tls wrote. */
    static Path caFile(Path dir) {
        return dir.resolve("keys/tls/ca.crt");
    }

    /** A TLS context trusting {@code ca}, presenting {@code certificate} with {@code key} when both are given. */
    static SSLContext sslContext(Path ca, Path certificate, Path key) {
        PemSslStoreDetails keyStore = certificate == null ? null
                : PemSslStoreDetails.forCertificate(certificate.toAbsolutePath().toString())
                        .withPrivateKey(key.toAbsolutePath().toString());
        return SslBundle.of(new PemSslStoreBundle(keyStore, PemSslStoreDetails.forCertificate(ca.toAbsolutePath().toString())))
                .createSslContext();
    }

    /** An HTTP client with {@code sslContext} for https:// (null: the JDK's defaults). */
    static HttpClient httpClient(SSLContext sslContext) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        return builder.build();
    }

    /** The liveness probe on the API port (/livez), which stays there when the actuator has a port of its own. */
    private void awaitHealthy(int i) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!processes.get(i).isAlive()) {
                throw new IllegalStateException("replica " + i + " exited with " + processes.get(i).exitValue()
                        + "; see " + logFile(i).toAbsolutePath());
            }
            try {
                HttpResponse<String> r = get(i, "/livez");
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("replica " + i + " did not become healthy within " + START_TIMEOUT);
    }

    HttpResponse<String> get(int replica, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(replica) + path)).timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** GET {@code path} signed with the read-request headers by client-0, whom keygen makes an admin. */
    HttpResponse<String> getAsAdmin(int replica, String path) throws IOException, InterruptedException {
        ClientIdentity admin = clients.stream().filter(c -> c.clientId().equals("client-0")).findFirst().orElseThrow();
        long now = System.currentTimeMillis();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(replica) + path)).timeout(Duration.ofSeconds(30))
                .header(ReadRequestSignature.CLIENT_HEADER, admin.clientId())
                .header(ReadRequestSignature.TIMESTAMP_HEADER, Long.toString(now))
                .header(ReadRequestSignature.SIGNATURE_HEADER, ReadRequestSignature.sign(admin, "GET", path, now))
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(int replica, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(replica) + path)).timeout(Duration.ofSeconds(70))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Where replica {@code i} logs: under target/cluster-logs (kept after the test, for CI reports),
     * one folder per cluster.
     */
    Path logFile(int i) {
        Path logs = Path.of("target", "cluster-logs", dir.getFileName().toString());
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return logs.resolve("replica-" + i + ".log");
    }

    /** The log of a replica, for assertion messages. */
    /** Whether replica {@code replica}'s whole log holds {@code text}. */
    boolean logContains(int replica, String text) {
        try (java.util.stream.Stream<String> lines = Files.lines(logFile(replica))) {
            return lines.anyMatch(line -> line.contains(text));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    String log(int replica) {
        try {
            List<String> lines = Files.readAllLines(logFile(replica));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePortRange(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            // Below Linux's ephemeral range (32768-60999): a restarted replica must get its port back, and
            // an outgoing connection of any process may take an ephemeral port while the replica is down.
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            boolean free = true;
            for (int p = base; p < base + count && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no free range of " + count + " ports found");
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
