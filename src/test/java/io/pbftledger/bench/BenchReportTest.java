package io.pbftledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class BenchReportTest {
    private static BenchResult result(int committed, int lost, Map<String, Long> errors) {
        return new BenchResult(4, 8, 1000, 1000, committed, 0, lost, 0, 2.5, 1234.56, new BenchResult.Latency(12.34, 50, 99.95, 250.04),
                7, committed, 0, errors, new BenchResult.Settings(64, 256, 1, 0, null, 0));
    }

    @Test
    void theLastLineIsTheContractWithOneDecimalWhateverTheLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.GERMANY);
        try {
            List<String> lines = BenchReport.lines(result(998, 2, Map.of()));

            assertThat(lines.get(lines.size() - 1))
                    .isEqualTo("throughput_tps=1234.6 p50_ms=12.3 p99_ms=100.0 committed=998 lost=2")
                    .matches("throughput_tps=[0-9]+\\.[0-9] p50_ms=[0-9]+\\.[0-9] p99_ms=[0-9]+\\.[0-9] committed=[0-9]+ lost=[0-9]+");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void theReportListsLatencyPercentilesAndErrorsByKindInNameOrder() {
        List<String> lines = BenchReport.lines(result(1000, 0, Map.of("timeout", 2L, "http 429 Too Many Requests", 7L)));

        assertThat(lines).contains("latency ms: p50=12.3 p90=50.0 p99=100.0 max=250.0",
                "errors: http 429 Too Many Requests: 7, timeout: 2");
        assertThat(BenchReport.lines(result(1000, 0, Map.of()))).contains("errors: none");
    }

    @Test
    void theJsonHoldsTheSameFigures() {
        JsonNode json = LedgerEndpoints.JSON.readTree(BenchReport.json(result(998, 2, Map.of("timeout", 2L))));

        assertThat(json.get("throughputTps").asDouble()).isEqualTo(1234.56);
        assertThat(json.get("committed").asInt()).isEqualTo(998);
        assertThat(json.get("lost").asInt()).isEqualTo(2);
        assertThat(json.get("latencyMs").get("p50").asDouble()).isEqualTo(12.34);
        assertThat(json.get("latencyMs").get("p99").asDouble()).isEqualTo(99.95);
        assertThat(json.get("errors").get("timeout").asLong()).isEqualTo(2);
        assertThat(json.get("settings").get("payloadBytes").asInt()).isEqualTo(256);
    }

    @Test
    void percentilesAreNearestRankOverEveryRecordedLatency() {
        LatencyRecorder recorder = new LatencyRecorder(100);
        for (int ms = 100; ms >= 1; ms--) {
            recorder.record(ms * 1_000_000L);
        }

        LatencyRecorder.Percentiles p = recorder.percentiles();

        assertThat(p).isEqualTo(new LatencyRecorder.Percentiles(50, 90, 99, 100));
        assertThat(new LatencyRecorder(5).percentiles()).isEqualTo(LatencyRecorder.Percentiles.NONE);
    }

    @Test
    void theWorkloadIsSignedByEveryClientWithExactPayloadSizeAndDistinctNonces() {
        List<ClientIdentity> clients = List.of(
                new ClientIdentity("a", "chain-1", Ed25519.PrivateKey.generate(new SecureRandom())),
                new ClientIdentity("b", "chain-1", Ed25519.PrivateKey.generate(new SecureRandom())));

        Workload workload = Workload.sign(clients, 10, 256, 500);

        Set<String> ids = new HashSet<>();
        for (Workload.SignedTx signed : workload.transactions()) {
            JsonNode body = LedgerEndpoints.JSON.readTree(signed.body());
            ClientIdentity client = clients.get(signed.index() % 2);
            Transaction tx = Transaction.fromJsonPayload("chain-1", body.get("clientId").asString(), body.get("nonce").asLong(),
                    body.get("key").asString(), body.get("payload").toString(),
                    java.util.Base64.getDecoder().decode(body.get("signature").asString()));
            assertThat(tx.clientId()).isEqualTo(client.clientId());
            assertThat(tx.nonce()).isEqualTo(500 + signed.index());
            assertThat(tx.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(256);
            assertThat(tx.verify(client.privateKey().publicKey())).isTrue();
            assertThat(tx.txId().hex()).isEqualTo(signed.txId());
            ids.add(signed.txId());
        }
        assertThat(ids).hasSize(10);
    }

    @Test
    void theProgressLineShowsShareCountsAndRate() {
        assertThat(ProgressBar.line(50, 200, 8, 2.0))
                .isEqualTo("[#######                       ]  25% 50/200 committed, 8 in flight, 25 tx/s");
    }
}
