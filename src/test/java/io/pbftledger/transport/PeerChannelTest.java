package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One outbound peer link against a real HTTP server on loopback that records what it receives. */
class PeerChannelTest {
    private static final long BODY_MAX_BYTES = 4_096;
    private static final byte[] SIGNATURE = new byte[64];

    private HttpServer peer;
    private final List<List<Signed<?>>> received = new CopyOnWriteArrayList<>();
    private PeerChannel channel;

    @BeforeEach
    void start() throws Exception {
        peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext(PeerChannel.PATH, exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(MessageCodec.decodeAll(in.readAllBytes(),
                        new MessageCodec.Limits(64, 1_000, 1 << 16, 1 << 20)));
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        peer.start();
        channel = new PeerChannel(1, "http://127.0.0.1:" + peer.getAddress().getPort(),
                PeerHttpClients.plain().newClient(Duration.ofSeconds(2)), 100, 16,
                new PeerBodyLimits(BODY_MAX_BYTES, BODY_MAX_BYTES, BODY_MAX_BYTES), PeerRequestSigner.unsigned());
        channel.start();
    }

    @AfterEach
    void stop() {
        channel.close();
        peer.stop(0);
    }

    private static Signed<Commit> commit(long sequence) {
        return new Signed<>(new Commit(0, 0, sequence, Digest.sha256(new byte[] {(byte) sequence})), SIGNATURE);
    }

    private static Signed<PrePrepare> prePrepareOf(int requests, int bodyBytes) {
        List<ClientRequest> batch = new java.util.ArrayList<>();
        for (int i = 0; i < requests; i++) {
            byte[] body = new byte[bodyBytes];
            body[0] = (byte) i;
            batch.add(new ClientRequest("c", i, Digest.sha256(body), body));
        }
        return new Signed<>(new PrePrepare(0, 0, 1, 5, BatchDigest.of(5, batch.stream().map(ClientRequest::id).toList()),
                batch), SIGNATURE);
    }

    private boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    private List<PbftMessage> receivedMessages() {
        return received.stream().flatMap(List::stream).map(s -> (PbftMessage) s.message()).toList();
    }

    @Test
    void aMessageLargerThanAPeerAcceptsIsNotSentAndTheLinkCarriesOn() throws Exception {
        channel.enqueue(commit(1));
        assertThat(eventually(() -> receivedMessages().size() == 1)).as("first commit arrives").isTrue();

        channel.enqueue(prePrepareOf(8, 1_000)); // ~8 KB, twice what the peer accepts
        channel.enqueue(commit(2));

        assertThat(eventually(() -> receivedMessages().size() == 2)).as("the commit after it still arrives").isTrue();
        assertThat(receivedMessages()).allMatch(m -> m instanceof Commit);
        assertThat(channel.oversizedMessages()).isEqualTo(1);
        assertThat(channel.droppedMessages()).isEqualTo(1);
        assertThat(received).as("nothing larger than the limit was posted").hasSize(2);
    }

    @Test
    void aBatchLargerThanAPeerAcceptsIsSplitSoEveryMessageArrives() throws Exception {
        Signed<PrePrepare> pp = prePrepareOf(2, 900); // ~2 KB each: two fit one limit, three do not
        for (int i = 0; i < 3; i++) {
            channel.enqueue(pp);
        }
        assertThat(eventually(() -> receivedMessages().size() == 3)).as("all three arrive").isTrue();
        assertThat(received.size()).as("in more than one request").isGreaterThan(1);
        assertThat(channel.oversizedMessages()).isZero();
        assertThat(channel.protocol()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
    }
}
