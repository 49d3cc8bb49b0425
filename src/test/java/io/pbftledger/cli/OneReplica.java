package io.pbftledger.cli;

import io.pbftledger.PbftLedgerApplication;
import io.pbftledger.config.StartupCheckListener;
import io.pbftledger.web.ProblemType;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replica 0 of a keygen'd four-replica cluster, the whole application in this JVM on real Tomcat
 * with a random port (its peers are never started). Requests are written as raw HTTP/1.1 over a
 * socket, so the path reaches Tomcat exactly as spelled (HTTP client libraries normalize paths).
 */
public final class OneReplica implements AutoCloseable {
    public final Path keys;
    private final ConfigurableApplicationContext context;
    public final int port;

    private final SSLContext tls;
    /** TLS contexts that present a client certificate, by certificate name. */
    private final java.util.Map<String, SSLContext> presenting = new java.util.concurrent.ConcurrentHashMap<>();

    private OneReplica(Path keys, ConfigurableApplicationContext context, SSLContext tls) {
        this.keys = keys;
        this.context = context;
        this.tls = tls;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public static OneReplica start(Path dir, String... overrides) {
        return start(dir, false, overrides);
    }

    /** As {@link #start(Path, String...)} with keys from {@code keygen --tls}: HTTPS, client certificates wanted. */
    public static OneReplica startTls(Path dir, String... overrides) {
        return start(dir, true, overrides);
    }

    /**
     * As {@link #startTls(Path, String...)}, with {@code editKeys} run on the keys directory after keygen
     * and before the replica starts (to change membership.yml, say).
     */
    public static OneReplica startTlsEdited(Path dir, Consumer<Path> editKeys, String... overrides) {
        return start(dir, true, editKeys, overrides);
    }

    /**
     * As {@link #start(Path, String...)} with {@code source}'s beans added: a plain class with
     * {@code @Bean} methods (no {@code @Configuration}, so no other test's scan finds it); mark a
     * bean {@code @Primary} to stand in for the application's.
     */
    public static OneReplica startWith(Path dir, Class<?> source, String... overrides) {
        return start(dir, false, keys -> { }, source, overrides);
    }

    private static OneReplica start(Path dir, boolean tls, String... overrides) {
        return start(dir, tls, keys -> { }, overrides);
    }

    private static OneReplica start(Path dir, boolean tls, Consumer<Path> editKeys, String... overrides) {
        return start(dir, tls, editKeys, null, overrides);
    }

    private static OneReplica start(Path dir, boolean tls, Consumer<Path> editKeys, Class<?> source,
                                    String... overrides) {
        Path keys = dir.resolve("keys");
        List<String> keygen = new ArrayList<>(List.of("keygen", "--replicas", "4", "--clients", "3",
                "--host", "127.0.0.1", "--out", keys.toString()));
        if (tls) {
            keygen.add("--tls");
        }
        int exit = PbftLedgerCli.newCommandLine().execute(keygen.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("keygen exited " + exit);
        }
        editKeys.accept(keys);
        Path config = keys.resolve("replicas/replica-0.yml").toAbsolutePath();
        List<String> args = new ArrayList<>(List.of(
                "--spring.config.additional-location=file:" + config,
                "--server.port=0",
                "--ledger.data-dir=" + dir.resolve("data").toAbsolutePath()));
        if (java.util.Arrays.stream(overrides).noneMatch(o -> o.startsWith("server.shutdown="))) {
            args.add("--server.shutdown=immediate");
        }
        if (java.util.Arrays.stream(overrides).noneMatch(o -> o.startsWith("server.address="))) {
            args.add("--server.address=127.0.0.1");
        }
        for (String o : overrides) {
            args.add("--" + o);
        }
        SpringApplication app = new SpringApplication(PbftLedgerApplication.class);
        if (source != null) {
            app.addPrimarySources(List.of(source));
        }
        app.addListeners(new NodeConfigPaths(config), new StartupCheckListener());
        SSLContext ssl = !tls ? null : SslBundle.of(new PemSslStoreBundle(null,
                PemSslStoreDetails.forCertificate(keys.resolve("tls/ca.crt").toAbsolutePath().toString()))).createSslContext();
        return new OneReplica(keys, app.run(args.toArray(String[]::new)), ssl);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** One raw HTTP/1.1 exchange; the answer's status line, headers and body. */
    public Raw send(String method, String rawPath, String body, String... headers) throws IOException {
        return exchange(tls, method, rawPath, body, headers);
    }

    /**
     * As {@link #send} over TLS presenting the client certificate {@code tls/<certificate>.crt} (with its
     * key) of keygen --tls: {@code replica-1}, {@code client-2}, ...
     */
    public Raw sendWithCertificate(String certificate, String method, String rawPath, String body, String... headers)
            throws IOException {
        if (tls == null) {
            throw new IllegalStateException("this replica does not serve TLS");
        }
        SSLContext withCertificate = presenting.computeIfAbsent(certificate, name -> SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate(keys.resolve("tls/" + name + ".crt").toAbsolutePath().toString())
                        .withPrivateKey(keys.resolve("tls/" + name + ".key").toAbsolutePath().toString()),
                PemSslStoreDetails.forCertificate(keys.resolve("tls/ca.crt").toAbsolutePath().toString()))).createSslContext());
        return exchange(withCertificate, method, rawPath, body, headers);
    }

    private Raw exchange(SSLContext over, String method, String rawPath, String body, String... headers) throws IOException {
        try (Socket socket = over == null ? new Socket("127.0.0.1", port)
                : over.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(method + " " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            if (body != null) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
            }
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                socket.getOutputStream().write(content);
            } catch (IOException e) {
                // the server refused before reading the body and closed
            }
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return Raw.parse(answer);
        }
    }

    public record Raw(int status, String head, String body) {
        static Raw parse(String answer) {
            int split = answer.indexOf("\r\n\r\n");
            String head = split < 0 ? answer : answer.substring(0, split);
            String body = split < 0 ? "" : answer.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunked(body);
            }
            int status = head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Raw(status, head, body);
        }

        private static String dechunked(String chunked) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < chunked.length()) {
                int lineEnd = chunked.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    break;
                }
                int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
                if (size == 0) {
                    break;
                }
                // sizes count bytes; the bodies here are ASCII JSON
                int end = Math.min(chunked.length(), lineEnd + 2 + size);
                out.append(chunked, lineEnd + 2, end);
                at = end + 2;
            }
            return out.toString();
        }

        public boolean isProblem() {
            return head.toLowerCase().contains("content-type: application/problem+json");
        }

        /** A problem+json answer of {@code type}: its status, and the type's URI and status in the body. */
        public boolean isProblem(ProblemType type) {
            if (!isProblem() || status != type.status() || body.indexOf('{') < 0) {
                return false;
            }
            JsonNode problem = JsonMapper.shared().readTree(body.substring(body.indexOf('{')));
            return type.uri().equals(problem.path("type").asString()) && problem.path("status").asInt() == status;
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
