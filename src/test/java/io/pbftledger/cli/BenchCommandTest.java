package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code bench} refuses bad usage before it signs or sends anything: one line on stderr, exit 2. */
class BenchCommandTest {
    private static final String[] LOAD = {"--transactions", "10", "--concurrency", "4", "--payload-bytes", "64"};

    @TempDir
    Path dir;

    private CliRun bench(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(all);
    }

    private String[] withLoad(String... args) {
        String[] all = new String[LOAD.length + args.length];
        System.arraycopy(LOAD, 0, all, 0, LOAD.length);
        System.arraycopy(args, 0, all, LOAD.length, args.length);
        return all;
    }

    @Test
    void replicaArgumentsNameEachReplicaWhereTheyAskFor() {
        java.util.List<String> args = BenchCluster.nodeArgs(dir, 2, java.util.List.of(
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1/ledger{replica}", "--ledger.batch.max-transactions=9"));

        assertThat(args).contains("--spring.datasource.url=jdbc:postgresql://127.0.0.1/ledger2",
                "--ledger.batch.max-transactions=9", "--ledger.data-dir=" + dir.resolve("replica-2"));
    }

    @Test
    void jvmOptionsNameEachReplicaWhereTheyAskFor() {
        assertThat(BenchCluster.forReplica(java.util.List.of(
                "-XX:StartFlightRecording=filename=/tmp/replica{replica}.jfr", "-Xmx512m"), 3))
                .containsExactly("-XX:StartFlightRecording=filename=/tmp/replica3.jfr", "-Xmx512m");
    }

    @Test
    void aMissingLoadFlagIsBadUsageNamedInOneLine() {
        CliRun run = bench("--cluster", "4", "--concurrency", "4", "--payload-bytes", "64");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).startsWith("pbft-ledger bench: ").contains("--transactions");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void withoutAClusterToTargetOrStartItSaysWhatToGive() {
        CliRun run = bench(withLoad());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                "pbft-ledger bench: give --membership and --identities of a running cluster, or --cluster N to start one");
    }

    @Test
    void aStartedClusterCannotBeCombinedWithARunningOnesFiles() {
        CliRun run = bench(withLoad("--cluster", "4", "--membership", dir.resolve("m.yml").toString()));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("pbft-ledger bench: --cluster starts its own cluster; "
                + "it cannot be combined with --membership or --identities");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--concurrency|0|--concurrency must be between 1 and 20000, got 0",
            "--transactions|0|--transactions must be between 1 and 10000000, got 0",
            "--payload-bytes|1|--payload-bytes must be between 2 and 65536, got 1",
            "--payload-bytes|65537|--payload-bytes must be between 2 and 65536, got 65537",
            "--batch-size|1001|--batch-size must be between 1 and 1000, got 1001",
            "--batch-size|5|--batch-size 5 exceeds --concurrency 4 (a batch is in flight as a whole)",
            "--rate|-3|--rate must be a positive number of transactions per second, got -3.0",
            "--duration|0|--duration must be between 0.001 and 86400 seconds, got 0.0",
            "--wait-ms|60001|--wait-ms must be between 1 and 60000, got 60001",
            "--cluster|3|--cluster must be between 4 and 100, got 3",
            "--clients|0|--clients must be between 1 and 1000, got 0"})
    void anOutOfRangeValueIsBadUsageWithItsRange(String option, String value, String message) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(withLoad()));
        int at = args.indexOf(option);
        if (at >= 0) {
            args.set(at + 1, value);
        } else {
            args.addAll(java.util.List.of(option, value));
        }
        if (!option.equals("--cluster")) {
            args.addAll(java.util.List.of("--cluster", "4"));
        }

        CliRun run = bench(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("pbft-ledger bench: " + message);
    }

    @Test
    void aJsonFileInAMissingDirectoryIsRefusedBeforeTheRun() {
        Path out = dir.resolve("no-such-dir/result.json");

        CliRun run = bench(withLoad("--cluster", "4", "--json", out.toString()));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("pbft-ledger bench: --json " + out + ": directory " + out.getParent() + " does not exist");
    }

    @Test
    void anUnknownOptionIsBadUsage() {
        CliRun run = bench(withLoad("--cluster", "4", "--turbo"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).startsWith("pbft-ledger bench: Unknown option: '--turbo'");
    }

    @Test
    void aMembershipFileThatDoesNotExistIsAOneLineFailure() {
        CliRun run = bench(withLoad("--membership", dir.resolve("missing.yml").toString(), "--identities", dir.toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).startsWith("pbft-ledger bench: ").contains("missing.yml");
    }
}
