package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Membership;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTlsTest {
    @TempDir
    Path dir;

    private static final List<String> HTTPS_URLS = List.of("https://127.0.0.1:8443", "https://127.0.0.1:8444",
            "https://127.0.0.1:8445", "https://127.0.0.1:8446");

    @Test
    void aTlsDemoGeneratesTheClusterCaAndHttpsMembershipOnItsFirstStart() {
        DemoKeys.Prepared prepared = DemoKeys.prepare(dir, HTTPS_URLS, 2, true);

        assertThat(prepared.reused()).isFalse();
        assertThat(prepared.membership().replicas()).extracting(Membership.Replica::url).containsExactlyElementsOf(HTTPS_URLS);
        assertThat(dir.resolve("tls/ca.crt")).isRegularFile();
        assertThat(dir.resolve("tls/client-1.key")).isRegularFile();
        assertThat(new TlsOptions().sslContext(dir.resolve("membership.yml"))).isPresent();
    }

    @Test
    void aTlsDemoOnKeysMadeWithoutTlsIsRefusedNamingTheUrls() {
        DemoKeys.prepare(dir, ReplicaUrls.fromHost("127.0.0.1", 8443, 4), 2);

        assertThatThrownBy(() -> DemoKeys.prepare(dir, HTTPS_URLS, 2, true)).isInstanceOf(CliException.class)
                .hasMessageContaining("http://127.0.0.1:8443").hasMessageContaining("https://127.0.0.1:8443");
    }

    @Test
    void theBannerOfATlsDemoTellsCurlToTrustTheClusterCa() {
        Membership membership = DemoKeys.prepare(dir, HTTPS_URLS, 2, true).membership();
        StringWriter text = new StringWriter();

        DemoBanner.print(new PrintWriter(text), membership, dir);

        assertThat(text.toString()).contains("curl -s --cacert " + dir.resolve("tls/ca.crt") + " -X POST https://127.0.0.1:8443/api/v1/demo/sign");
        assertThat(text.toString()).contains("Explorer:    https://127.0.0.1:8443/explorer\n");
    }

    @Test
    void theDemoOffersTls() {
        assertThat(CliRun.of("demo", "--help").out()).contains("--tls");
    }
}
