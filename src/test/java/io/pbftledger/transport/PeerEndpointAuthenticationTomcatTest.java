package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.PbftLedgerApplication;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.LedgerProperties;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.config.PeerBodyLimit;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.web.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /pbft/messages} of a whole replica (replica 0, plain HTTP, default limits) on real
 * Tomcat: who is not a replica is refused from the headers alone, before the replica reads any of
 * the body; a replica's signed requests are read within the limit of the kind they declare, within
 * what one replica may have in flight at once, and within what all of them together may
 * ({@code ledger.peer.in-flight-max-bytes}, set here to its least: one replica's bound). Raw sockets
 * where it matters what was sent when.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeerEndpointAuthenticationTomcatTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int FORTY_MIB = 40 << 20;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    private static ConfigurableApplicationContext replica;
    private static int port;
    private static Membership membership;
    private static final List<Ed25519.PrivateKey> KEYS = new ArrayList<>();
    private static PeerRequestSigner[] signers;
    private static PeerBodyLimits limits;

    @BeforeAll
    static void startReplicaZero() throws IOException {
        int peers;
        try (ServerSocket probe = new ServerSocket(0)) {
            peers = probe.getLocalPort(); // the other replicas' ports: nobody listens there
        }
        int exit = PbftLedgerCli.newCommandLine().execute("keygen", "--out", dir.toString(), "--base-port",
                Integer.toString(Math.min(peers, 65_000)));
        assertThat(exit).isZero();
        membership = MembershipFile.load(dir.resolve("membership.yml"));
        signers = new PeerRequestSigner[membership.n()];
        for (int i = 0; i < membership.n(); i++) {
            KEYS.add(KeyFiles.loadReplicaKey(dir.resolve("replicas/replica-" + i + ".key")).privateKey());
            signers[i] = PeerRequestSigner.signing(KEYS.get(i), Genesis.signingDomain(membership), i, membership.n());
        }
        limits = PeerBodyLimit.limits(LedgerProperties.defaults(), membership.n());
        replica = new SpringApplication(PbftLedgerApplication.class).run("--server.port=0",
                "--ledger.replica-id=0",
                "--ledger.membership-file=" + dir.resolve("membership.yml"),
                "--ledger.key-file=" + dir.resolve("replicas/replica-0.key"),
                "--ledger.data-dir=" + dir.resolve("data"),
                "--ledger.peer.in-flight-max-bytes=" + limits.inFlightPerPeer(),
                "--server.shutdown=immediate");
        port = ((WebServerApplicationContext) replica).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    // ---- requests over a raw socket ----

    /** What came back: status, headers (lower-case names) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode problem() {
            assertThat(headers.get("content-type")).as(body).startsWith("application/problem+json");
            assertThat(headers).as("the end of the problem is known before the connection closes").containsKey("content-length");
            JsonNode json = JSON.readTree(body);
            assertThat(json.get("status").asInt()).isEqualTo(status);
            assertThat(json.get("instance").asString()).isEqualTo("/pbft/messages");
            return json;
        }

        String detail() {
            return problem().get("detail").asString();
        }

        String type() {
            return problem().get("type").asString();
        }
    }

    private static String head(long contentLength, Map<String, String> headers) {
        StringBuilder head = new StringBuilder("POST /pbft/messages HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: " + contentLength + "\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
        return socket;
    }

    /** Reads one answer (Content-Length or chunked body); SocketTimeoutException when none comes in time. */
    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        }
        return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-answer after '" + out + "'");
            }
            if (b != '\r') {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** Sends head and whole body on a fresh connection and reads the answer. */
    private static Answer post(Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(body.length, headers).getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** Sends only the head of a request declaring {@code length} bytes; null when no answer comes within two seconds. */
    private static Answer headOnly(Map<String, String> headers, long length) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(head(length, headers).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** Headers of {@code sender} for a body of {@code length} bytes that is never sent (its digest is made up). */
    private static Map<String, String> signedFor(int sender, PeerRequestKind kind, long length) {
        Map<String, String> headers = new LinkedHashMap<>(signers[sender].headers(0, kind, new byte[0]));
        long nonce = Long.parseLong(headers.get(PeerRequestSignature.NONCE_HEADER));
        Digest unsent = Digest.sha256(new byte[] {1});
        headers.put(PeerRequestSignature.BODY_SHA256_HEADER, unsent.hex());
        headers.put(PeerRequestSignature.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(KEYS.get(sender).sign(
                PeerRequestSignature.signingBytes(Genesis.signingDomain(membership), sender, 0, kind, length, unsent, nonce))));
        return headers;
    }

    private static <T extends PbftMessage> Signed<T> sign(int replica, T message) {
        return new Signed<>(message, KEYS.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), message)));
    }

    private static byte[] commits(int replica, int count) {
        List<Signed<Commit>> commits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            commits.add(sign(replica, new Commit(replica, 0, 1 + i, Digest.sha256(new byte[] {(byte) replica, (byte) i}))));
        }
        return MessageCodec.encodeAll(commits);
    }

    private static Map<String, String> withSignature(Map<String, String> headers, String signature) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.put(PeerRequestSignature.SIGNATURE_HEADER, signature);
        return out;
    }

    // ---- what an outsider can do ----

    @Test
    void anOutsiderDeclaring40MiBIsRefusedWith401BeforeItSendsAnyOfTheBody() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(head(FORTY_MIB, Map.of(PeerRequestSignature.KIND_HEADER, "view-change"))
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            // Not one byte of the body was sent: a replica that waited for it would time out here.
            Answer answer = read(socket.getInputStream());

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.type()).isEqualTo(ProblemType.UNAUTHORIZED.uri());
            assertThat(answer.headers()).containsEntry("www-authenticate", PeerRequestSignature.DOMAIN)
                    .containsEntry("connection", "close");
            assertThat(answer.detail()).isEqualTo("peer messages need a replica's client certificate (mutual TLS) or its "
                    + "signed headers X-Pbft-Sender, X-Pbft-Nonce, X-Pbft-Body-Sha256, X-Pbft-Signature (pbft-ledger/peer-request/v1)");
        }
    }

    @Test
    void anOutsiderStreaming40MiBIsCutOffLongBeforeTheEnd() throws Exception {
        AtomicLong written = new AtomicLong();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(FORTY_MIB, Map.of(PeerRequestSignature.KIND_HEADER, "view-change")).getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Throwable> writer = CompletableFuture.supplyAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (written.get() < FORTY_MIB) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                    out.flush();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });

            Answer answer = read(socket.getInputStream());
            Throwable cutOff = writer.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(answer.status()).isEqualTo(401);
            assertThat(cutOff).as("the replica closed the connection while the body was still coming").isNotNull();
            // What did get through sat in socket buffers or was discarded unread by Tomcat (at most
            // server.tomcat.max-swallow-size, 2 MiB); the replica read none of it into memory.
            assertThat(written.get()).as("bytes the outsider could send").isLessThan(FORTY_MIB / 2);
        }
    }

    @Test
    void aForgedHeaderSignatureIs401() throws IOException {
        byte[] body = commits(1, 1);
        Map<String, String> honest = signers[1].headers(0, PeerRequestKind.VOTES, body);
        Ed25519.PrivateKey outsider = Ed25519.PrivateKey.generate(new SecureRandom());
        byte[] forged = outsider.sign(PeerRequestSignature.signingBytes(Genesis.signingDomain(membership), 1, 0,
                PeerRequestKind.VOTES, body.length, Digest.sha256(body),
                Long.parseLong(honest.get(PeerRequestSignature.NONCE_HEADER))));

        Answer answer = post(withSignature(honest, Base64.getEncoder().encodeToString(forged)), body);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.type()).isEqualTo(ProblemType.INVALID_SIGNATURE.uri());
        assertThat(answer.detail()).isEqualTo("X-Pbft-Signature does not verify with replica 1's key over this request "
                + "(to replica 0, this chain, votes, Content-Length " + body.length + ", the body digest and nonce)");
    }

    @Test
    void aHeaderSignedForAnotherReceiverOrKindIs401() throws IOException {
        byte[] body = commits(2, 1);
        Map<String, String> forReplicaThree = signers[2].headers(3, PeerRequestKind.VOTES, body);
        assertThat(post(forReplicaThree, body).status()).isEqualTo(401);

        Map<String, String> upgraded = new LinkedHashMap<>(signers[2].headers(0, PeerRequestKind.VOTES, body));
        upgraded.put(PeerRequestSignature.KIND_HEADER, "view-change");
        assertThat(post(upgraded, body).status()).isEqualTo(401);
    }

    @Test
    void aBodyOtherThanTheSignedOneIs401() throws IOException {
        byte[] body = commits(3, 1);
        Map<String, String> headers = signers[3].headers(0, PeerRequestKind.VOTES, body);
        byte[] other = commits(3, 1);
        other[other.length - 1] ^= 1;

        Answer answer = post(headers, other);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.type()).isEqualTo(ProblemType.INVALID_SIGNATURE.uri());
        assertThat(answer.detail()).isEqualTo("the body's SHA-256 is not the signed X-Pbft-Body-Sha256: not the body replica 3 signed");
    }

    @Test
    void aReplayedRequestIs401WithinTheWindowAndOutsideIt() throws IOException {
        byte[] body = commits(1, 2);
        Map<String, String> headers = signers[1].headers(0, PeerRequestKind.VOTES, body);
        assertThat(post(headers, body).status()).as("the first time").isEqualTo(202);

        Answer again = post(headers, body);
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.detail()).startsWith("nonce " + headers.get(PeerRequestSignature.NONCE_HEADER) + " is not above ")
                .endsWith("the last one accepted from replica 1: a replayed request");

        long aMinuteAgo = PeerRequestSigner.nowMicros() - 60_000_000L;
        PeerRequestSigner oldClock = PeerRequestSigner.signing(KEYS.get(1), Genesis.signingDomain(membership), 1,
                membership.n(), () -> aMinuteAgo);
        Answer old = post(oldClock.headers(0, PeerRequestKind.VOTES, body), body);
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.detail()).startsWith("nonce " + aMinuteAgo + " is ")
                .contains("outside the window of 30000 ms (ledger.peer.auth-window-ms)");
    }

    // ---- what a replica can do ----

    @Test
    void aReplicasSignedMessagesAreAccepted() throws IOException {
        byte[] body = commits(2, 3);

        Answer answer = post(signers[2].headers(0, PeerRequestKind.VOTES, body), body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    @Test
    void aReplicasSignedRequestsAreAcceptedOverH2cAsTheSenderMakesThem() throws Exception {
        java.net.http.HttpClient http = PeerHttpClients.plain().http2(true).newClient(Duration.ofSeconds(5));
        List<java.net.http.HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] body = commits(3, 1 + i);
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + PeerChannel.PATH))
                    .timeout(ANSWER_TIMEOUT).header("Content-Type", "application/octet-stream")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
            signers[3].headers(0, PeerRequestKind.VOTES, body).forEach(request::header);
            answers.add(http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString()));
        }

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(202));
        assertThat(answers.get(2).version()).as("after the upgrade").isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    }

    @Test
    void aVotesRequestOfOneMibIsRefused413BeforeItsBodyIsSent() throws IOException {
        byte[] body = new byte[1 << 20];
        Map<String, String> headers = signers[1].headers(0, PeerRequestKind.VOTES, body);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(head(body.length, headers).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            Answer answer = read(socket.getInputStream());

            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.detail()).isEqualTo("a votes request carries at most " + limits.votes()
                    + " bytes; this one declares " + body.length);
        }
        assertThat(limits.votes()).as("a full send batch of the largest vote").isLessThan(64 * 1024);
        assertThat(limits.batch()).as("a full batch with its framing").isBetween(8L << 20, 9L << 20);
        assertThat(limits.viewChange()).as("the largest NEW-VIEW for the defaults").isGreaterThan(40L << 20);
    }

    @Test
    void aBodyDeclaringALargerKindThanItHoldsIs400() throws IOException {
        byte[] body = commits(2, 1);

        Answer answer = post(signers[2].headers(0, PeerRequestKind.VIEW_CHANGE, body), body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.detail()).isEqualTo("the request declares X-Pbft-Kind view-change but its messages are of kind "
                + "votes (the kind of the largest message in it)");
    }

    @Test
    void oneReplicaCannotHoldMoreThanItsInFlightBoundWhileOthersStillGetThrough() throws Exception {
        long first = limits.viewChange();
        Map<String, String> held = signedFor(3, PeerRequestKind.VIEW_CHANGE, first);
        // A slow request reserves its bytes when it is dispatched, before its body is read; a probe that
        // overtakes it is admitted instead (and waits for a body that never comes, until it is closed,
        // which releases its bytes): then the slow one was refused, and the round is tried again.
        Answer over = null;
        for (int round = 0; round < 5 && over == null; round++) {
            try (Socket slow = connect()) {
                slow.getOutputStream().write(head(first, held).getBytes(StandardCharsets.US_ASCII));
                slow.getOutputStream().write(new byte[1024]);
                slow.getOutputStream().flush();
                Thread.sleep(500);
                over = headOnly(signedFor(3, PeerRequestKind.VIEW_CHANGE, first), first);
                if (over != null) {
                    byte[] votes = commits(1, 1);
                    assertThat(post(signers[1].headers(0, PeerRequestKind.VOTES, votes), votes).status())
                            .as("another replica meanwhile").isEqualTo(202);
                }
            }
            held = signedFor(3, PeerRequestKind.VIEW_CHANGE, first);
        }

        assertThat(over).as("an answer to the second request while the first is held").isNotNull();
        assertThat(over.status()).as(over.body()).isEqualTo(429);
        assertThat(over.type()).isEqualTo(ProblemType.RATE_LIMITED.uri());
        assertThat(over.headers()).containsEntry("retry-after", "1");
        assertThat(over.detail()).isEqualTo("replica 3 already has " + first + " bytes of requests in flight here; "
                + "with this one's " + first + " it would exceed the " + limits.inFlightPerPeer()
                + " one replica may have at once");
    }

    @Test
    void allReplicasTogetherCannotHoldMoreThanTheReplicasBoundOverAllPeers() throws Exception {
        long viewChange = limits.viewChange();
        // Replica 3 holds a view change's worth; replica 2's view change is within its own bound but not
        // within what is left of the bound over all peers. Should replica 2's request overtake the held
        // one, the held one is refused instead and the round is tried again (as above).
        Answer over = null;
        for (int round = 0; round < 5 && over == null; round++) {
            try (Socket slow = connect()) {
                slow.getOutputStream().write(head(viewChange, signedFor(3, PeerRequestKind.VIEW_CHANGE, viewChange))
                        .getBytes(StandardCharsets.US_ASCII));
                slow.getOutputStream().write(new byte[1024]);
                slow.getOutputStream().flush();
                Thread.sleep(500);
                over = headOnly(signedFor(2, PeerRequestKind.VIEW_CHANGE, viewChange), viewChange);
                if (over != null) {
                    byte[] votes = commits(1, 1);
                    assertThat(post(signers[1].headers(0, PeerRequestKind.VOTES, votes), votes).status())
                            .as("votes of another replica still fit meanwhile").isEqualTo(202);
                }
            }
        }

        assertThat(over).as("an answer to replica 2's request while replica 3's is held").isNotNull();
        assertThat(over.status()).as(over.body()).isEqualTo(503);
        assertThat(over.type()).isEqualTo(ProblemType.UNAVAILABLE.uri());
        assertThat(over.headers()).containsEntry("retry-after", "1").containsEntry("connection", "close");
        assertThat(over.detail()).isEqualTo("the replicas have " + viewChange + " bytes of requests in flight here; "
                + "with replica 2's " + viewChange + " they would exceed the " + limits.inFlightPerPeer()
                + " this replica accepts from all of them at once (ledger.peer.in-flight-max-bytes); retry in 1 s");
    }
}
