package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

@ExtendWith(OutputCaptureExtension.class)
class NodeCommandTest {
    @TempDir
    Path dir;

    private Path yml;

    @BeforeEach
    void keys() {
        CliRun.of("keygen", "--out", dir.toString());
        yml = dir.resolve("replicas/replica-0.yml");
    }

    @Test
    void aReplicaWhoseMembershipIsMissingStopsAtStartWithOneClearMessage(CapturedOutput output) throws IOException {
        Files.delete(dir.resolve("membership.yml"));

        CliRun run = CliRun.of("node", "--config", yml.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("The replica configuration is not usable: ledger.membership-file: " + dir.resolve("membership.yml") + ": file not found")
                .doesNotContain("\tat ");
    }

    @Test
    void springOverridesOnTheCommandLineWinOverTheFile(CapturedOutput output) {
        CliRun run = CliRun.of("node", "--config", yml.toString(), "--ledger.replica-id=2");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(output.getAll()).contains("ledger.key-file " + dir.resolve("replicas/replica-0.key")
                + " is the key of replica 0, but ledger.replica-id is 2");
    }

    @Test
    void relativePathsFromTheFileResolveAgainstItsDirectoryAndOthersStayAsGiven() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new YamlPropertySourceLoader().load("replica-0", new FileSystemResource(yml)).get(0));
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource("--ledger.data-dir=elsewhere/data"));

        new NodeConfigPaths(yml).resolve(environment);

        assertThat(environment.getProperty("ledger.membership-file")).isEqualTo(dir.resolve("membership.yml").toString());
        assertThat(environment.getProperty("ledger.key-file")).isEqualTo(dir.resolve("replicas/replica-0.key").toString());
        assertThat(environment.getProperty("ledger.data-dir")).isEqualTo("elsewhere/data");
    }

    @Test
    void theConfigFileIsAnAdditionalSpringLocationFollowedByTheOverrides() {
        assertThat(NodeCommand.springArgs(yml, java.util.List.of("--server.port=9000")))
                .containsExactly("--spring.config.additional-location=file:" + yml, "--server.port=9000");
    }

    @Test
    void anArgumentThatIsNotASpringPropertyIsRejected() {
        CliRun run = CliRun.of("node", "--config", yml.toString(), "server.port=9000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                "pbft-ledger node: unexpected argument 'server.port=9000': Spring properties take the form --name=value");
    }
}
