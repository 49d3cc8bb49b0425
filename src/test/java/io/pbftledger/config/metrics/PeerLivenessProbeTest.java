package io.pbftledger.config.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.transport.PeerHttpClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The probe asks a peer's {@code /livez}, which every replica serves on its API port (also when its
 * actuator has a management port of its own), and a peer of an earlier version that answers 404 there
 * on the actuator's liveness path. Stand-in peers on loopback.
 */
class PeerLivenessProbeTest {
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A stand-in peer that answers 200 on {@code path} only, 404 elsewhere. */
    private String peerAnswering(String path) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().getPath());
            int status = exchange.getRequestURI().getPath().equals(path) ? 200 : 404;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static ConsensusInfo.PeerInfo peer(int id, String url) {
        return new ConsensusInfo.PeerInfo(id, url, false);
    }

    @Test
    void aPeerIsAliveWhenItsLivezAnswers() throws IOException {
        PeerLivenessProbe probe = new PeerLivenessProbe(PeerHttpClients.plain());

        assertThat(probe.test(peer(1, peerAnswering("/livez")))).isTrue();
        assertThat(asked).containsExactly("/livez");
    }

    @Test
    void aPeerOfAnEarlierVersionIsAskedOnTheActuatorsPath() throws IOException {
        PeerLivenessProbe probe = new PeerLivenessProbe(PeerHttpClients.plain());

        assertThat(probe.test(peer(2, peerAnswering("/actuator/health/liveness")))).isTrue();
        assertThat(asked).containsExactly("/livez", "/actuator/health/liveness");
    }

    @Test
    void aPeerThatAnswersNeitherIsNotAlive() throws IOException {
        PeerLivenessProbe probe = new PeerLivenessProbe(PeerHttpClients.plain());

        assertThat(probe.test(peer(3, peerAnswering("/elsewhere")))).isFalse();
        assertThat(probe.test(peer(4, "http://127.0.0.1:1"))).as("nobody listening").isFalse();
    }
}
