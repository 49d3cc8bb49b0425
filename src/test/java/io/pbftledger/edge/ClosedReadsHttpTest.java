package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.cli.OneReplica;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.config.StartupCheckException;
import io.pbftledger.web.ProblemType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ledger.api.reads=authenticated} on a real replica (Tomcat, random port, raw HTTP): no path
 * serves chain data to a caller that is not a replica or a client with the read role, the peer pages
 * included, no actuator endpoint is served on the API port, and a replica that could not keep to that
 * (TLS off, or the actuator's metrics on the API port) does not start.
 */
class ClosedReadsHttpTest {
    private static final String TX = "ab".repeat(32);
    /** Every GET that serves chain data (or answers about it), on the API and the peer pages. */
    private static final List<String> CHAIN_DATA = List.of("/pbft/blocks?from=0&limit=100", "/pbft/checkpoint",
            "/api/v1/blocks", "/api/v1/blocks/latest", "/api/v1/blocks/0", "/api/v1/blocks/0/transactions",
            "/api/v1/blocks/hash/" + TX, "/api/v1/blocks/stream", "/api/v1/state/greeting",
            "/api/v1/state/greeting/history", "/api/v1/state/greeting/proof", "/api/v1/transactions/" + TX,
            "/api/v1/transactions/" + TX + "/proof", "/api/v1/checkpoints", "/api/v1/checkpoints/latest",
            "/api/v1/membership", "/api/v1/consensus", "/api/v1/cluster", "/api/v1/chain/verify");

    @TempDir
    static Path dir;
    /** Actuator endpoints, which belong on the management port, never on the API port of closed reads. */
    private static final List<String> ACTUATOR = List.of("/actuator/prometheus", "/actuator/metrics",
            "/actuator/metrics/pbft.blocks.committed", "/actuator/info", "/actuator", "/actuator/health",
            "/actuator/health/readiness");

    /** TLS on, reads closed, the actuator on a management port; client-2 is a member with the submit role only. */
    private static OneReplica replica;

    @BeforeAll
    static void start() {
        replica = OneReplica.startTlsEdited(dir.resolve("closed"), keys -> withoutReadRole(keys, "client-2"),
                "ledger.api.reads=authenticated", "management.server.port=0", "management.server.address=127.0.0.1");
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    /** Rewrites membership.yml so that {@code clientId} may submit but not read. */
    private static void withoutReadRole(Path keys, String clientId) {
        Path file = keys.resolve("membership.yml");
        Membership m = MembershipFile.load(file);
        List<Membership.Client> clients = new ArrayList<>();
        for (Membership.Client c : m.clients()) {
            clients.add(c.id().equals(clientId) ? new Membership.Client(c.id(), c.publicKey(), Set.of(Role.SUBMIT)) : c);
        }
        MembershipFile.write(file, new Membership(m.chainId(), m.replicas(), clients));
    }

    /** The plain paths and spellings a router might take for them. */
    static List<String> chainData() {
        List<String> all = new ArrayList<>();
        for (String target : CHAIN_DATA) {
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            String query = q < 0 ? "" : target.substring(q);
            all.add(target);
            all.add(path + "/" + query);
            all.add("/%" + Integer.toHexString(path.charAt(1)) + path.substring(2) + query);
            all.add(path.toUpperCase(Locale.ROOT) + query);
            all.add(path.replaceFirst("^(/[^/]+)", "$1;x") + query);
        }
        return all;
    }

    /** The actuator's paths and the spellings a router might take for them. */
    static List<String> actuator() {
        List<String> all = new ArrayList<>();
        for (String path : ACTUATOR) {
            all.add(path);
            all.add(path + "/");
            all.add("/%61" + path.substring(2));
            all.add(path.toUpperCase(Locale.ROOT));
            all.add(path.replaceFirst("^(/[^/]+)", "$1;x"));
        }
        return all;
    }

    private static boolean served(OneReplica.Raw r) {
        return r.status() >= 200 && r.status() < 300;
    }

    @ParameterizedTest(name = "GET {0}")
    @MethodSource("chainData")
    void anAnonymousCallerGetsNoChainData(String target) throws Exception {
        OneReplica.Raw r = replica.send("GET", target, null);

        assertThat(served(r)).as("GET %s answered %d: %s", target, r.status(), r.body()).isFalse();
        assertThat(r.status()).as("GET %s: %s", target, r.body()).isIn(400, 401, 403, 404);
    }

    @ParameterizedTest(name = "GET {0}")
    @MethodSource("actuator")
    void theApiPortServesNoActuatorEndpoint(String target) throws Exception {
        OneReplica.Raw r = replica.send("GET", target, null);

        assertThat(served(r)).as("GET %s answered %d: %s", target, r.status(), r.body()).isFalse();
        assertThat(r.body()).doesNotContain("pbft_", "jvm_", "\"components\"");
    }

    @Test
    void theProbesStayOnTheApiPort() throws Exception {
        OneReplica.Raw live = replica.send("GET", "/livez", null);

        assertThat(live.status()).as(live.body()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @ParameterizedTest(name = "GET {0}")
    @MethodSource("chainData")
    void aMemberWithoutTheReadRoleGetsNoChainDataWithItsCertificate(String target) throws Exception {
        OneReplica.Raw r = replica.sendWithCertificate("client-2", "GET", target, null);

        assertThat(served(r)).as("GET %s answered %d: %s", target, r.status(), r.body()).isFalse();
    }

    @Test
    void aMemberWithoutTheReadRoleIsToldWhyOnThePeerPages() throws Exception {
        OneReplica.Raw r = replica.sendWithCertificate("client-2", "GET", "/pbft/blocks?from=0&limit=1", null);

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.isProblem(ProblemType.FORBIDDEN)).as(r.body()).isTrue();
        assertThat(r.body()).contains("client 'client-2' lacks the read role");
    }

    @Test
    void anAnonymousCallerIsToldWhatThePeerPagesNeed() throws Exception {
        OneReplica.Raw r = replica.send("GET", "/pbft/blocks?from=0&limit=1", null);

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.isProblem(ProblemType.FORBIDDEN)).as(r.body()).isTrue();
        assertThat(r.body()).contains("client certificate");
    }

    @Test
    void aReplicaAndAReaderStillGetThePeerPages() throws Exception {
        OneReplica.Raw peer = replica.sendWithCertificate("replica-1", "GET", "/pbft/blocks?from=0&limit=1", null);
        OneReplica.Raw reader = replica.sendWithCertificate("client-1", "GET", "/pbft/blocks?from=0&limit=1", null);
        OneReplica.Raw api = replica.sendWithCertificate("client-1", "GET", "/api/v1/blocks/latest", null);

        assertThat(peer.status()).as(peer.body()).isEqualTo(200);
        assertThat(reader.status()).as(reader.body()).isEqualTo(200);
        assertThat(api.status()).as(api.body()).isEqualTo(200);
    }

    @Test
    void closedReadsWithoutTlsDoNotStart() {
        Throwable failure = catchThrowable(() -> OneReplica.start(dir.resolve("plain"), "ledger.api.reads=authenticated")
                .close());

        assertThat(startupCheck(failure)).as("started, or failed otherwise: %s", failure)
                .hasMessageContaining("ledger.api.reads=authenticated needs ledger.tls.enabled=true")
                .hasMessageContaining("GET /pbft/blocks");
    }

    @Test
    void closedReadsWithTheActuatorsMetricsOnTheApiPortDoNotStart() {
        Throwable failure = catchThrowable(() -> OneReplica.startTls(dir.resolve("one-port"),
                "ledger.api.reads=authenticated").close());

        assertThat(startupCheck(failure)).as("started, or failed otherwise: %s", failure)
                .hasMessage("ledger.api.reads=authenticated needs the actuator on a port of its own: on the API port "
                        + "(server.port) it would serve info, metrics, prometheus to anyone, unauthenticated");
    }

    /** The StartupCheckException in {@code failure}'s causes (null when there is none). */
    private static Throwable startupCheck(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupCheckException) {
                return t;
            }
        }
        return null;
    }
}
