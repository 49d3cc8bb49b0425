package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class PbftLedgerCliTest {
    @TempDir
    static Path dir;

    private static List<List<String>> commandPaths(CommandLine commandLine, List<String> prefix) {
        List<List<String>> paths = new ArrayList<>();
        paths.add(prefix);
        commandLine.getSubcommands().forEach((name, sub) -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            paths.addAll(commandPaths(sub, path));
        });
        return paths;
    }

    @Test
    void everyCommandAnswersHelpWithUsageAndExitZero() {
        List<List<String>> paths = commandPaths(PbftLedgerCli.newCommandLine(), List.of());
        assertThat(paths).contains(List.of("keygen"), List.of("node"), List.of("demo"), List.of("client", "sign"), List.of("client", "submit"));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).as(String.join(" ", args)).startsWith("Usage: pbft-ledger");
        }
    }

    @Test
    void versionNamesTheProgram() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("pbft-ledger ");
    }

    static Stream<Arguments> badInputs() {
        String missing = dir.resolve("missing").toString();
        return Stream.of(
                Arguments.of(List.of(), "Missing required subcommand"),
                Arguments.of(List.of("frobnicate"), "Unmatched argument"),
                Arguments.of(List.of("client"), "Missing required subcommand"),
                Arguments.of(List.of("keygen"), "Missing required option: '--out=DIR'"),
                Arguments.of(List.of("keygen", "--replicas", "four", "--out", missing), "Invalid value for option '--replicas'"),
                Arguments.of(List.of("keygen", "--base-port", "65535", "--out", missing), "--base-port 65535 leaves no room"),
                Arguments.of(List.of("node"), "Missing required option: '--config=FILE'"),
                Arguments.of(List.of("node", "--config", missing + ".yml"), "file not found"),
                Arguments.of(List.of("demo", "--replicas", "3", "--data-dir", missing), "--replicas must be between 4 and 100, got 3"),
                Arguments.of(List.of("client", "sign", "--identity", missing + ".key", "--nonce", "1", "--payload", "{}"), "file not found"),
                Arguments.of(List.of("client", "sign", "--identity", missing + ".key", "--nonce", "x", "--payload", "{}"), "Invalid value for option '--nonce'"),
                Arguments.of(List.of("client", "submit", "--identity", missing + ".key", "--payload", "{}"), "Missing required option: '--membership=FILE'"),
                Arguments.of(List.of("client", "submit", "--membership", missing + ".yml", "--identity", missing + ".key", "--payload", "{}"), "file not found"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputEndsWithOneLineOnStderrAndANonZeroExit(List<String> args, String expected) {
        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isNotZero();
        assertThat(run.errLines()).as(run.err()).singleElement().asString().startsWith("pbft-ledger").contains(expected);
        assertThat(run.out()).isEmpty();
    }
}
