package io.pbftledger.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Membership;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.transport.PeerHttpClients;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

class TlsConfigurationTest {
    @TempDir
    Path dir;

    private ApplicationContextRunner runner(boolean tlsKeys) {
        String[] args = tlsKeys
                ? new String[] {"keygen", "--tls", "--out", dir.toString()}
                : new String[] {"keygen", "--out", dir.toString()};
        assertThat(PbftLedgerCli.newCommandLine().execute(args)).isZero();
        Membership membership = MembershipFile.load(dir.resolve("membership.yml"));
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
                .withUserConfiguration(TlsConfiguration.class)
                .withBean(Membership.class, () -> membership)
                .withBean(ClientRegistry.class, () -> new ClientRegistry(ClientMembership.genesis(membership),
                        new VerifiedTransactions(10)));
    }

    private String[] bundle() {
        Path tls = dir.resolve("tls");
        return new String[] {
                "spring.ssl.bundle.pem.ledger.keystore.certificate=" + tls.resolve("replica-0.crt"),
                "spring.ssl.bundle.pem.ledger.keystore.private-key=" + tls.resolve("replica-0.key"),
                "spring.ssl.bundle.pem.ledger.truststore.certificate=" + tls.resolve("ca.crt")};
    }

    @Test
    void plainHttpIsTheDefaultAndThePeerEndpointsNeedNoCertificate() {
        runner(false).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(PeerHttpClients.class).isTls()).isFalse();
            assertThat(context.getBean(PeerHttpClients.class).version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
        });
    }

    @Test
    void ledgerPeerHttp2AsksPeersForHttp2OverPlainHttp() {
        runner(false).withPropertyValues("ledger.peer.http2=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(PeerHttpClients.class).version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(context.getBean(PeerHttpClients.class).newClient(java.time.Duration.ofSeconds(1)).version())
                    .isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
        });
    }

    @Test
    void ledgerPeerHttp2AsksPeersForH2OverTls() {
        runner(true).withPropertyValues(bundle()).withPropertyValues("ledger.tls.enabled=true", "server.ssl.bundle=ledger",
                "ledger.peer.http2=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(PeerHttpClients.class).isTls()).isTrue();
                    assertThat(context.getBean(PeerHttpClients.class).version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
                });
    }

    @Test
    void withTlsOnPeersAreCalledOverTlsAndThePeerEndpointsDemandCertificates() {
        runner(true).withPropertyValues(bundle()).withPropertyValues("ledger.tls.enabled=true", "server.ssl.bundle=ledger")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(PeerHttpClients.class).isTls()).isTrue();
                    FilterRegistrationBean<?> filter = context.getBean(FilterRegistrationBean.class);
                    assertThat(filter.getUrlPatterns()).containsExactly("/pbft/*");
                });
    }

    @Test
    void tlsWithoutTheServerServingTheBundleStopsTheReplicaWithTheSettingToFix() {
        runner(true).withPropertyValues(bundle()).withPropertyValues("ledger.tls.enabled=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(StartupCheckException.class)
                    .hasMessageContaining("server.ssl.bundle is unset");
        });
    }

    @Test
    void tlsWithoutTheBundleStopsTheReplicaNamingTheBundle() {
        runner(true).withPropertyValues("ledger.tls.enabled=true", "server.ssl.bundle=ledger").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("StartupCheckException")
                    .hasStackTraceContaining("no SSL bundle 'ledger'");
        });
    }

    @Test
    void tlsWithPlainHttpMembershipUrlsStopsTheReplica() {
        // keys without --tls: certificates are borrowed from a second, TLS key set
        Path tlsKeys = dir.resolve("other");
        assertThat(PbftLedgerCli.newCommandLine().execute("keygen", "--tls", "--out", tlsKeys.toString())).isZero();
        runner(false).withPropertyValues("ledger.tls.enabled=true", "server.ssl.bundle=ledger",
                "spring.ssl.bundle.pem.ledger.keystore.certificate=" + tlsKeys.resolve("tls/replica-0.crt"),
                "spring.ssl.bundle.pem.ledger.keystore.private-key=" + tlsKeys.resolve("tls/replica-0.key"),
                "spring.ssl.bundle.pem.ledger.truststore.certificate=" + tlsKeys.resolve("tls/ca.crt")).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(StartupCheckException.class)
                            .hasMessageContaining("replica 0's membership URL http://127.0.0.1:8080 is not https://");
                });
    }
}
