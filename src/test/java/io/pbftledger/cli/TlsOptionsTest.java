package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsOptionsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void generate() {
        assertThat(CliRun.of("keygen", "--tls", "--out", dir.resolve("keys").toString()).exitCode()).isZero();
    }

    @Test
    void theCaBesideTheMembershipFileIsPickedUpWithoutOptions() {
        assertThat(TlsOptions.defaultCa(dir.resolve("keys/membership.yml"))).contains(dir.resolve("keys/tls/ca.crt").toAbsolutePath());
        assertThat(new TlsOptions().sslContext(dir.resolve("keys/membership.yml"))).isPresent();
    }

    @Test
    void withoutACaOrCertificateTheJdkDefaultsApply() throws Exception {
        Path plain = dir.resolve("plain");
        Files.createDirectories(plain);
        assertThat(new TlsOptions().sslContext(plain.resolve("membership.yml"))).isEmpty();
        assertThat(new TlsOptions().sslContext(null)).isEmpty();
    }

    @Test
    void aClientCertificateAndKeyMakeAContextForMutualTls() {
        Path tls = dir.resolve("keys/tls");
        TlsOptions options = new TlsOptions(tls.resolve("ca.crt"), tls.resolve("client-0.crt"), tls.resolve("client-0.key"));

        assertThat(options.sslContext(null)).isPresent();
    }

    @Test
    void aClientCertificateWithoutItsKeyIsAUsageError() {
        TlsOptions options = new TlsOptions(null, dir.resolve("keys/tls/client-0.crt"), null);

        assertThatThrownBy(() -> options.sslContext(null)).isInstanceOf(CliException.class)
                .hasMessage("--client-cert and --client-key go together; give both or neither")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliErrors.EXIT_USAGE));
    }

    @Test
    void aMissingCaFileIsNamed() {
        Path missing = dir.resolve("nope.crt");

        assertThatThrownBy(() -> new TlsOptions(missing, null, null).sslContext(null))
                .isInstanceOf(CliException.class).hasMessage("--ca " + missing + ": file not found");
    }

    @Test
    void aCaFileThatIsNoCertificateIsRefusedWithItsName() throws Exception {
        Path bogus = dir.resolve("bogus.crt");
        Files.writeString(bogus, "not a certificate\n");

        assertThatThrownBy(() -> new TlsOptions(bogus, null, null).sslContext(null))
                .isInstanceOf(CliException.class).hasMessageStartingWith("cannot use the TLS files (CA " + bogus);
    }

    @Test
    void submitAndVerifyAcceptTheTlsOptions() {
        for (String[] command : new String[][] {{"client", "submit", "--help"}, {"verify", "--help"}}) {
            CliRun run = CliRun.of(command);
            assertThat(run.out()).as(String.join(" ", command)).contains("--ca=FILE", "--client-cert=FILE", "--client-key=FILE");
        }
    }
}
