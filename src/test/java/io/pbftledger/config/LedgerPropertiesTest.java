package io.pbftledger.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Configuration;

class LedgerPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LedgerProperties.class)
    static class Bind {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bind.class);

    @Test
    void unsetPropertiesTakeTheDocumentedDefaults() {
        runner.run(context -> {
            LedgerProperties p = context.getBean(LedgerProperties.class);
            assertThat(p.replicaId()).isNull();
            assertThat(p.membershipFile()).isNull();
            assertThat(p.batch().maxTransactions()).isEqualTo(500);
            assertThat(p.batch().maxBytes()).isEqualTo(8_388_608);
            assertThat(p.batch().maxDelayMs()).isZero();
            assertThat(p.checkpointInterval()).isEqualTo(100);
            assertThat(p.watermarkWindow()).isEqualTo(200);
            assertThat(p.viewChangeTimeoutMs()).isEqualTo(2000);
            assertThat(p.rejoinPeriodMs()).as("0: derived").isZero();
            assertThat(p.effectiveRejoinPeriodMs()).as("16 view-change timeouts").isEqualTo(32_000);
            assertThat(p.mempool().maxTransactions()).isEqualTo(1_000);
            assertThat(p.mempool().proposalQueueMaxRequests()).as("unset: derived from n").isNull();
            assertThat(p.mempool().proposalQueueMaxRequests(4)).isEqualTo(4_000);
            assertThat(p.timestampSkewMs()).isEqualTo(5000);
            assertThat(p.peer().queueMaxMessages()).isEqualTo(10_000);
            assertThat(p.peer().sendBatchMaxMessages()).isEqualTo(256);
            assertThat(p.peer().http2()).as("HTTP/1.1 between replicas unless asked").isFalse();
            assertThat(p.retransmitIntervalMs()).isEqualTo(1000);
            assertThat(p.demo().enabled()).isFalse();
            assertThat(p.demo().identitiesDir()).isNull();
            assertThat(p.verify().threads()).as("0: one per core").isZero();
            assertThat(p.verify().poolSize(2)).isEqualTo(2);
            assertThat(p.verify().cacheMaxEntries()).isEqualTo(200_000);
            assertThat(p).isEqualTo(LedgerProperties.defaults());
        });
    }

    @Test
    void everyPropertyBindsFromItsKebabCaseName() {
        runner.withPropertyValues("ledger.replica-id=3", "ledger.membership-file=m.yml", "ledger.key-file=k.key", "ledger.data-dir=d",
                "ledger.batch.max-transactions=7", "ledger.batch.max-bytes=2000000", "ledger.batch.max-delay-ms=5",
                "ledger.batch.pipeline-depth=3",
                "ledger.checkpoint-interval=10", "ledger.watermark-window=40", "ledger.view-change-timeout-ms=900", "ledger.rejoin-period-ms=9000",
                "ledger.mempool.max-transactions=11", "ledger.mempool.proposal-queue-max-requests=50",
                "ledger.timestamp-skew-ms=12", "ledger.peer.queue-max-messages=13",
                "ledger.peer.send-batch-max-messages=14", "ledger.peer.http2=true", "ledger.retransmit-interval-ms=15", "ledger.demo.enabled=true",
                "ledger.demo.identities-dir=ids", "ledger.verify.threads=1", "ledger.verify.cache-max-entries=16").run(context -> {
                    LedgerProperties p = context.getBean(LedgerProperties.class);
                    assertThat(p.replicaId()).isEqualTo(3);
                    assertThat(p.membershipPath()).hasToString("m.yml");
                    assertThat(p.keyPath()).hasToString("k.key");
                    assertThat(p.dataPath()).hasToString("d");
                    assertThat(p.batch()).isEqualTo(new LedgerProperties.Batch(7, 2_000_000, 5, 3));
                    assertThat(p.checkpointInterval()).isEqualTo(10);
                    assertThat(p.watermarkWindow()).isEqualTo(40);
                    assertThat(p.viewChangeTimeoutMs()).isEqualTo(900);
                    assertThat(p.effectiveRejoinPeriodMs()).isEqualTo(9000);
                    assertThat(p.mempool().maxTransactions()).isEqualTo(11);
                    assertThat(p.mempool().proposalQueueMaxRequests(4)).isEqualTo(50);
                    assertThat(p.timestampSkewMs()).isEqualTo(12);
                    assertThat(List.of(p.peer().queueMaxMessages(), p.peer().sendBatchMaxMessages(), p.peer().http2()))
                            .containsExactly(13, 14, true);
                    assertThat(p.retransmitIntervalMs()).isEqualTo(15);
                    assertThat(p.demo()).isEqualTo(new LedgerProperties.Demo(true, "ids"));
                    assertThat(p.verify()).isEqualTo(new LedgerProperties.Verify(1, 16));
                    assertThat(p.verify().poolSize(8)).isEqualTo(1);
                });
    }

    @Test
    void anOutOfRangeValueStopsTheContextNamingTheProperty() {
        runner.withPropertyValues("ledger.batch.max-transactions=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("ledger.batch.maxTransactions").hasMessageContaining("must be greater than or equal to 1");
        });
    }

    @Test
    void aNegativeReplicaIdIsRejected() {
        runner.withPropertyValues("ledger.replica-id=-1").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void replayFloodIsAFaultModeName() {
        assertThat(new LedgerProperties.FaultInjection(true, "replay-flood", 0, null).faultMode())
                .contains(io.pbftledger.pbft.fault.FaultMode.REPLAY_FLOOD);
    }
}
