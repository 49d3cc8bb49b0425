package io.pbftledger.config;

import io.pbftledger.chain.Membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.pbft.message.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

@ExtendWith(OutputCaptureExtension.class)
class StartupCheckTest {
    @TempDir
    Path dir;

    private ConfigFixtures.Cluster cluster;
    private final List<String> settings = new ArrayList<>();

    @BeforeEach
    void cluster() {
        cluster = ConfigFixtures.write(dir, 4, 2);
        settings.addAll(List.of("ledger.replica-id=1", "ledger.membership-file=" + cluster.membershipFile(),
                "ledger.key-file=" + cluster.keyFile(1), "ledger.data-dir=" + dir.resolve("data/replica-1")));
    }

    private LedgerProperties properties(String... overrides) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        for (String s : settings) {
            source.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        for (String s : overrides) {
            source.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        return new Binder(source).bindOrCreate("ledger", LedgerProperties.class);
    }

    private void assertStops(LedgerProperties p, String message) {
        assertThatThrownBy(() -> StartupCheck.verify(p)).isInstanceOf(StartupCheckException.class).hasMessage(message);
    }

    @Test
    void aConsistentConfigurationYieldsMembershipKeyAndId() {
        StartupCheck.Verified verified = StartupCheck.verify(properties());

        assertThat(verified.replicaId()).isEqualTo(1);
        assertThat(verified.membership()).isEqualTo(cluster.membership());
        assertThat(verified.replicaKey().publicKey()).isEqualTo(cluster.membership().replica(1).publicKey());
        assertThat(verified.demoIdentities()).isEmpty();
    }

    @Test
    void demoModeLoadsTheClientIdentities() {
        StartupCheck.Verified verified = StartupCheck.verify(
                properties("ledger.demo.enabled=true", "ledger.demo.identities-dir=" + cluster.clientsDir()));

        assertThat(verified.demoIdentities()).extracting(ClientIdentity::clientId).containsExactly("client-0", "client-1");
    }

    @Test
    void stopsWhenThePrimaryCouldNotQueueWhatAllReplicasMayHaveAccepted() {
        assertStops(properties("ledger.mempool.max-transactions=100", "ledger.mempool.proposal-queue-max-requests=399"),
                "ledger.mempool.proposal-queue-max-requests (399) is below n × ledger.mempool.max-transactions "
                        + "(4 × 100 = 400): the primary could then drop transactions that replicas accepted; "
                        + "raise it or leave it unset");
    }

    @Test
    void stopsWhenAViewChangeCouldNeedMoreThanAPeerAccepts() {
        assertStops(properties("ledger.batch.max-transactions=100000"),
                "ledger.watermark-window (200) × ledger.batch.max-transactions (100000) is too large for 4 replicas: "
                        + "a view change could need " + MessageCodec.viewChangeMaxBytes(4, 200, 100_000)
                        + " bytes in one message, above the 1073741824 a peer accepts; lower one of them");
        // The defaults leave room: ~44 MB, which the peer endpoint then accepts.
        StartupCheck.Verified defaults = StartupCheck.verify(properties());
        assertThat(PeerBodyLimit.bytes(defaults.properties(), 4)).isEqualTo(MessageCodec.viewChangeMaxBytes(4, 200, 500));
    }

    @Test
    void stopsWhenAllPeersTogetherMayHoldLessThanOnePeerMay() {
        long onePeer = PeerBodyLimit.limits(properties(), 4).inFlightPerPeer();
        assertStops(properties("ledger.peer.in-flight-max-bytes=" + (onePeer - 1)),
                "ledger.peer.in-flight-max-bytes (" + (onePeer - 1) + ") is below the " + onePeer + " bytes one replica "
                        + "may have in flight at once (its largest view change and batch for these settings): a view "
                        + "change could never be delivered; raise it, or set 0 for f+1 times that");
        StartupCheck.verify(properties("ledger.peer.in-flight-max-bytes=" + onePeer));
        // unset: f+1 = 2 peers' worth for 4 replicas, about 105 MB for the defaults
        assertThat(PeerBodyLimit.inFlightAllPeers(properties(), 4)).isEqualTo(2 * onePeer);
        assertThat(PeerBodyLimit.inFlightAllPeers(properties(), 7)).isEqualTo(3 * PeerBodyLimit.limits(properties(), 7).inFlightPerPeer());
    }

    /** The environment of application.yml's exposure with {@code properties} on top. */
    private static ActuatorOnApiPort actuator(String... properties) {
        org.springframework.mock.env.MockEnvironment environment = new org.springframework.mock.env.MockEnvironment()
                .withProperty("management.endpoints.web.exposure.include", "health,info,prometheus,metrics");
        for (String p : properties) {
            environment.setProperty(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        return ActuatorOnApiPort.of(environment);
    }

    @Test
    void closedReadsStopWhileTheApiPortServesActuatorEndpointsBesidesHealth() {
        assertThatThrownBy(() -> StartupCheck.checkClosedReadsActuator("authenticated", actuator("server.port=8080")))
                .isInstanceOf(StartupCheckException.class)
                .hasMessage("ledger.api.reads=authenticated needs the actuator on a port of its own: on the API port "
                        + "(server.port) it would serve info, metrics, prometheus to anyone, unauthenticated");
        // the same port given twice is the same port
        assertThatThrownBy(() -> StartupCheck.checkClosedReadsActuator("authenticated",
                actuator("server.port=8443", "management.server.port=8443"))).isInstanceOf(StartupCheckException.class);
        assertThatThrownBy(() -> StartupCheck.checkClosedReadsActuator("authenticated",
                actuator("management.endpoints.web.exposure.include=*"))).hasMessageContaining("serve every endpoint to anyone");
        assertThatThrownBy(() -> StartupCheck.checkClosedReadsActuator(" Authenticated ",
                actuator("management.endpoints.web.exposure.exclude=metrics"))).hasMessageContaining("serve info, prometheus to");
    }

    @Test
    void closedReadsStartWithTheActuatorOnItsOwnPortOrOnlyHealthOnTheApiPort() {
        StartupCheck.checkClosedReadsActuator("authenticated", actuator("server.port=8443", "management.server.port=9090"));
        StartupCheck.checkClosedReadsActuator("authenticated", actuator("server.port=0", "management.server.port=0"));
        StartupCheck.checkClosedReadsActuator("authenticated", actuator("management.server.port=-1"));
        StartupCheck.checkClosedReadsActuator("authenticated", actuator("management.endpoints.web.exposure.include=health"));
        StartupCheck.checkClosedReadsActuator("authenticated",
                actuator("management.endpoints.web.exposure.include=*", "management.endpoints.web.exposure.exclude=*"));
        // open reads: the actuator may share the API port, as it always has
        StartupCheck.checkClosedReadsActuator("open", actuator());
        StartupCheck.checkClosedReadsActuator(null, actuator());
    }

    @Test
    void aProposalQueueOfNTimesTheMempoolOrMoreIsAccepted() {
        StartupCheck.verify(properties("ledger.mempool.max-transactions=100",
                "ledger.mempool.proposal-queue-max-requests=400"));
        StartupCheck.Verified derived = StartupCheck.verify(properties("ledger.mempool.max-transactions=100"));
        assertThat(derived.properties().mempool().proposalQueueMaxRequests(derived.membership().n())).isEqualTo(400);
    }

    @Test
    void stopsWhenReplicaIdIsNotSet() {
        settings.remove(0);
        assertStops(properties(), "ledger.replica-id is not set");
    }

    @Test
    void stopsWhenTheMembershipFileIsMissing() {
        Path missing = dir.resolve("nope.yml");
        assertStops(properties("ledger.membership-file=" + missing), "ledger.membership-file: " + missing + ": file not found");
    }

    @Test
    void stopsWhenTheReplicaIdIsNotInTheMembership() {
        assertStops(properties("ledger.replica-id=4"),
                "ledger.replica-id is 4, but " + cluster.membershipFile() + " lists replicas 0..3 (a replica that joins through a replica-set change sets ledger.join=true)");
    }

    @Test
    void stopsWhenTheKeyFileIsUnreadable() throws IOException {
        Files.writeString(cluster.keyFile(1), "replicaId: 'unterminated\n");
        assertThatThrownBy(() -> StartupCheck.verify(properties())).isInstanceOf(StartupCheckException.class)
                .hasMessageStartingWith("ledger.key-file: " + cluster.keyFile(1) + ": not valid YAML (line ");
    }

    @Test
    void stopsWhenTheKeyFileIsAnotherReplicasKey() {
        assertStops(properties("ledger.key-file=" + cluster.keyFile(2)),
                "ledger.key-file " + cluster.keyFile(2) + " is the key of replica 2, but ledger.replica-id is 1");
    }

    @Test
    void stopsWhenTheKeyDoesNotMatchTheMembership() {
        Path stray = dir.resolve("stray.key");
        KeyFiles.writeReplicaKey(stray, new KeyFiles.ReplicaKey(1, ConfigFixtures.key(42)));

        assertThatThrownBy(() -> StartupCheck.verify(properties("ledger.key-file=" + stray)))
                .isInstanceOf(StartupCheckException.class)
                .hasMessageStartingWith("ledger.key-file " + stray + " holds public key " + ConfigFixtures.key(42).publicKey()
                        + ", but the membership lists " + cluster.membership().replica(1).publicKey() + " for replica 1");
    }

    /** A replica with another K than the genesis fixes would take replica-set changes into force elsewhere. */
    @Test
    void stopsWhenTheCheckpointIntervalDiffersFromTheOneTheMembershipFileFixes() throws Exception {
        Membership fixed = new Membership(cluster.membership().chainId(), cluster.membership().replicas(),
                cluster.membership().clients(), 50);
        io.pbftledger.config.MembershipFile.write(cluster.membershipFile(), fixed);
        assertStops(properties(), "ledger.checkpoint-interval is 100, but " + cluster.membershipFile()
                + " fixes checkpointInterval: 50 for the whole chain; set ledger.checkpoint-interval=50");
        assertThat(StartupCheck.verify(properties("ledger.checkpoint-interval=50", "ledger.watermark-window=100"))
                .membership().checkpointInterval()).isEqualTo(50);
    }

    @Test
    void stopsWhenTheWatermarkWindowIsNotAMultipleOfTheCheckpointInterval() {
        assertStops(properties("ledger.checkpoint-interval=30", "ledger.watermark-window=100"),
                "ledger.watermark-window (100) must be a multiple of ledger.checkpoint-interval (30)");
    }

    @Test
    void stopsWhenTheRejoinPeriodIsShorterThanTheViewChangeTimeout() {
        assertStops(properties("ledger.view-change-timeout-ms=3000", "ledger.rejoin-period-ms=2999"),
                "ledger.rejoin-period-ms (2999) must be 0 (16 × ledger.view-change-timeout-ms) or at least "
                        + "ledger.view-change-timeout-ms (3000)");
    }

    @Test
    void stopsWhenTheDataDirIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertStops(properties("ledger.data-dir=" + file), "ledger.data-dir " + file + " exists but is not a directory");
    }

    @Test
    void stopsWhenABatchCannotHoldTheLargestTransaction() {
        assertThatThrownBy(() -> StartupCheck.verify(properties("ledger.batch.max-bytes=4096")))
                .hasMessageStartingWith("ledger.batch.max-bytes (4096) is smaller than the largest transaction");
    }

    @Test
    void stopsWhenDemoIdentitiesBelongToAnotherChain() {
        Path other = dir.resolve("other");
        KeyFiles.writeClientIdentity(other.resolve("client-0.key"), new ClientIdentity("client-0", "other-chain", cluster.clients().get(0).privateKey()));

        assertStops(properties("ledger.demo.enabled=true", "ledger.demo.identities-dir=" + other),
                "ledger.demo.identities-dir: client client-0 belongs to chain other-chain, not " + ConfigFixtures.CHAIN);
    }

    @Test
    void stopsWhenDemoIsOnWithoutIdentities() {
        assertStops(properties("ledger.demo.enabled=true"), "ledger.demo.identities-dir is not set");
    }

    @Test
    void theFailureAnalyzerReportsTheMessageAndWhatToDo() {
        StartupCheckException e = new StartupCheckException("ledger.replica-id is not set", "Set it.", null);

        FailureAnalysis analysis = new StartupCheckFailureAnalyzer().analyze(new IllegalStateException("wrapped", e));

        assertThat(analysis.getDescription()).isEqualTo("The replica configuration is not usable: ledger.replica-id is not set");
        assertThat(analysis.getAction()).isEqualTo("Set it.");
    }

    @Configuration(proxyBeanMethods = false)
    static class Tiny {
    }

    @Test
    void aContextWithABadSettingStopsAtStartWithOneMessageAndNoStackTrace(CapturedOutput output) {
        SpringApplication app = new SpringApplication(Tiny.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.addListeners(new StartupCheckListener());
        settings.set(0, "ledger.replica-id=9");
        String[] withBadId = settings.stream().map(s -> "--" + s).toArray(String[]::new);

        assertThatThrownBy(() -> app.run(withBadId)).isInstanceOf(StartupCheckException.class);

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("The replica configuration is not usable: ledger.replica-id is 9, but " + cluster.membershipFile() + " lists replicas 0..3")
                .doesNotContain("\tat ");
    }

    @Test
    void aContextWithAnOutOfRangeSettingStopsAtStartNamingTheProperty(CapturedOutput output) {
        SpringApplication app = new SpringApplication(Tiny.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.addListeners(new StartupCheckListener());
        settings.add("ledger.batch.max-transactions=0");

        assertThatThrownBy(() -> app.run(settings.stream().map(s -> "--" + s).toArray(String[]::new)))
                .isInstanceOf(org.springframework.boot.context.properties.bind.BindException.class);

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "ledger.batch.maxTransactions",
                "must be greater than or equal to 1").doesNotContain("\tat ");
    }

    @Test
    void aContextWithConsistentSettingsStarts() {
        SpringApplication app = new SpringApplication(Tiny.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.addListeners(new StartupCheckListener());

        try (var context = app.run(settings.stream().map(s -> "--" + s).toArray(String[]::new))) {
            assertThat(context.isActive()).isTrue();
        }
    }
}
