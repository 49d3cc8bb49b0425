package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.testing.ProcessTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One command gives the whole figure: {@code bench --cluster 4} starts four real replica JVMs on
 * fresh keys, sends 200 signed transactions with 8 in flight, audits the chain and stops them.
 */
@ProcessTest
class BenchClusterRunTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void twoHundredTransactionsOnAFreshFourReplicaClusterAllCommitExactlyOnce() throws Exception {
        Path json = dir.resolve("result.json");

        // JIT warm-up of four JVMs on two cores can stall a commit past the default 2 s request timer;
        // view changes are not what this run measures
        CliRun run = CliRun.of("bench", "--cluster", "4", "--transactions", "200", "--concurrency", "8", "--payload-bytes", "256",
                "--jvm-option=-Xmx256m", "--jvm-option=-XX:+UseSerialGC",
                "--replica-arg=--ledger.view-change-timeout-ms=15000", "--json", json.toString());

        assertThat(run.exitCode()).as("stdout:%n%s%nstderr:%n%s", run.out(), run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .matches("throughput_tps=[0-9]+\\.[0-9] p50_ms=[0-9]+\\.[0-9] p99_ms=[0-9]+\\.[0-9] committed=200 lost=0");
        assertThat(run.out()).contains("errors: none", "to 4 replicas from 8 clients");
        JsonNode figures = tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(json));
        assertThat(figures.get("committed").asInt()).isEqualTo(200);
        assertThat(figures.get("lost").asInt()).isZero();
        assertThat(figures.get("duplicated").asInt()).isZero();
        assertThat(figures.get("blockTransactions").asInt()).isEqualTo(200);
        assertThat(figures.get("throughputTps").asDouble()).isPositive();
        String clusterDir = lines.get(0).replaceFirst("^started 4 replicas in (\\S+);.*$", "$1");
        assertThat(Path.of(clusterDir)).as("the temporary cluster is deleted after a good run").doesNotExist();
    }
}
