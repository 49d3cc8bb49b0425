package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.api.BlockStreamController;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.cli.OneReplica;
import io.pbftledger.web.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block stream (server-sent events) on a real replica (Tomcat, random port, raw sockets): one
 * client cannot take more than its share of the streams, a client that went away gives its streams
 * back without waiting for a block, and a reader that stops reading holds up nobody else's stream.
 * Blocks are handed to the stream's listener directly (one replica commits nothing on its own).
 */
@Timeout(120)
class BlockStreamLimitsHttpTest {
    private static final String STREAM = "/api/v1/blocks/stream";
    /** Streams one client may hold (BlockStreamController.MAX_SUBSCRIBERS_PER_CLIENT, as README says). */
    private static final int PER_CLIENT = 4;

    /** Heartbeats on idle streams every {@value} ms (ledger.api.stream-heartbeat-ms), so the tests need not wait 15 s. */
    private static final long HEARTBEAT_MS = 200;

    @TempDir
    static Path dir;
    /** Trusts 127.0.0.1 as a proxy, so X-Forwarded-For plays different clients. */
    private static OneReplica replica;
    private final List<Socket> open = new ArrayList<>();

    @BeforeAll
    static void start() {
        replica = OneReplica.start(dir, "ledger.api.trusted-proxies=127.0.0.1/32",
                "ledger.api.stream-heartbeat-ms=" + HEARTBEAT_MS);
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    @AfterEach
    void closeStreams() throws IOException {
        for (Socket s : open) {
            s.close();
        }
    }

    /** Opens a stream as {@code client} (X-Forwarded-For) and waits for its first comment. */
    private Socket subscribe(String client, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        open.add(socket);
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", replica.port), 5_000);
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(("GET " + STREAM + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "X-Forwarded-For: " + client + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static void awaitSubscribed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(":subscribed") < 0) {
            int b = in.read();
            if (b < 0 || seen.length() > 4096) {
                throw new IOException("no stream: " + seen);
            }
            seen.append((char) b);
        }
    }

    @Test
    void oneClientGetsAtMostItsShareOfTheStreams() throws Exception {
        for (int i = 0; i < PER_CLIENT; i++) {
            awaitSubscribed(subscribe("203.0.113.5", 0));
        }

        OneReplica.Raw fifth = replica.send("GET", STREAM, null, "X-Forwarded-For: 203.0.113.5");
        Socket neighbour = subscribe("198.51.100.9", 0);

        assertThat(fifth.status()).as(fifth.body()).isEqualTo(429);
        assertThat(fifth.isProblem(ProblemType.RATE_LIMITED)).as(fifth.body()).isTrue();
        assertThat(fifth.body()).contains("address 203.0.113.5 already has 4 block streams open on this replica");
        awaitSubscribed(neighbour);
    }

    /** The status code a new stream of {@code client} is answered with (the socket stays open when it is 200). */
    private int open(String client) throws IOException {
        Socket socket = subscribe(client, 0);
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return Integer.parseInt(line.substring(9, 12));
    }

    @Test
    void aClientThatWentAwayGetsItsStreamsBackWithoutANewBlock() throws Exception {
        List<Socket> streams = new ArrayList<>();
        for (int i = 0; i < PER_CLIENT; i++) {
            Socket socket = subscribe("203.0.113.77", 0);
            awaitSubscribed(socket);
            streams.add(socket);
        }
        assertThat(open("203.0.113.77")).as("a fifth stream").isEqualTo(429);

        // The client goes away without a word; no block is committed, so nothing else is written.
        for (Socket socket : streams) {
            socket.close();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status = open("203.0.113.77");
        while (status != 200 && System.nanoTime() < deadline) {
            Thread.sleep(HEARTBEAT_MS);
            status = open("203.0.113.77");
        }

        assertThat(status).as("a new stream once the heartbeats found the old ones dead").isEqualTo(200);
    }

    /**
     * A stream never ends by itself, so a graceful shutdown (server.shutdown=graceful, as replicas run)
     * would wait its whole timeout (30 s) for every open explorer page; the replica ends its streams
     * first, and the reader sees its stream end.
     */
    @Test
    void aGracefulShutdownEndsOpenStreamsInsteadOfWaitingForThem(@TempDir Path own) throws Exception {
        OneReplica graceful = OneReplica.start(own, "server.shutdown=graceful");
        Socket socket = new Socket();
        open.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", graceful.port), 5_000);
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(("GET " + STREAM + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        awaitSubscribed(socket);

        long start = System.nanoTime();
        graceful.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMs).as("ms the replica took to shut down with a stream open").isLessThan(10_000);
        String rest = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(rest).as("what followed on the stream").endsWith("\r\n0\r\n\r\n");
    }

    @Test
    void aReaderThatStopsReadingHoldsUpNobodyElse() throws Exception {
        BlockStreamController stream = replica.bean(BlockStreamController.class);
        Block block = replica.bean(LedgerQueries.class).blockByHeight(0).orElseThrow();
        int before = stream.subscriberCount();
        long droppedBefore = stream.droppedStreams();
        Socket stalled = subscribe("192.0.2.10", 2048);
        Socket healthy = subscribe("192.0.2.20", 0);
        awaitSubscribed(healthy);
        for (int i = 0; i < 100 && stream.subscriberCount() < before + 2; i++) {
            Thread.sleep(20);
        }
        AtomicLong received = new AtomicLong();
        Thread reader = new Thread(() -> countEvents(healthy, received), "healthy-reader");
        reader.setDaemon(true);
        reader.start();

        // About 4 MB of events: far more than the stalled connection's buffers hold.
        int sent = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 200; i++) {
                stream.accept(block);
            }
            sent += 200;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(received.get()).as("events the healthy reader got after %d were published", sent)
                    .isEqualTo(sent);
        }

        assertThat(stream.droppedStreams()).as("the stalled stream was dropped").isEqualTo(droppedBefore + 1);
        assertThat(stalled.isClosed()).isFalse();
    }

    /** Counts "event:block" lines read from {@code socket} until it closes. */
    private static void countEvents(Socket socket, AtomicLong count) {
        byte[] pattern = "event:block".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    matched = buffer[i] == pattern[matched] ? matched + 1 : (buffer[i] == pattern[0] ? 1 : 0);
                    if (matched == pattern.length) {
                        count.incrementAndGet();
                        matched = 0;
                    }
                }
            }
        } catch (IOException e) {
            // closed by the test
        }
    }
}
