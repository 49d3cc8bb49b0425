package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The primary's batching [Castro and Liskov 5.1] and a backup's relaying of requests. */
class PrimaryBatchingTest {
    private final Fixture fx = new Fixture();

    @Test
    void primaryCutsBatchAtMaxTransactions() {
        Replica primary = fx.replica(0);
        primary.submit(request("a", 1));
        primary.submit(request("a", 2));
        assertThat(primary.hasReady()).isFalse();
        primary.submit(request("a", 3));
        Ready ready = drain(primary);
        assertThat(sent(ready, PrePrepare.class)).singleElement().satisfies(pp -> {
            assertThat(pp.sequence()).isEqualTo(1);
            assertThat(pp.batch()).extracting(ClientRequest::nonce).containsExactly(1L, 2L, 3L);
            assertThat(pp.batchDigest()).isEqualTo(BatchDigest.ofRequests(pp.timestamp(), pp.batch()));
        });
        assertThat(ready.persist()).hasSize(1);
    }

    @Test
    void primaryCutsBatchAtMaxBytes() {
        Replica primary = fx.replica(0);
        primary.submit(request("a", 1, 600));
        assertThat(primary.hasReady()).isFalse();
        primary.submit(request("a", 2, 600));
        // 1,200 bytes are queued: the first request leaves alone, the second waits under the limit.
        assertThat(sent(drain(primary), PrePrepare.class)).singleElement()
                .satisfies(pp -> assertThat(pp.batch()).hasSize(1));
        assertThat(primary.status().pendingRequests()).isEqualTo(1);
    }

    @Test
    void primaryCutsBatchAtMaxDelay() {
        Replica primary = fx.replica(0);
        primary.tick(1_000);
        drain(primary); // quiet since 0: its STATUS
        primary.submit(request("a", 1));
        primary.tick(1_000 + Fixture.DELAY - 1);
        assertThat(primary.hasReady()).isFalse();
        primary.tick(1_000 + Fixture.DELAY);
        assertThat(sent(drain(primary), PrePrepare.class)).singleElement()
                .satisfies(pp -> assertThat(pp.timestamp()).isEqualTo(1_000 + Fixture.DELAY));
    }

    @Test
    void primaryNeverCutsAnEmptyBatch() {
        Replica primary = fx.replica(0);
        for (long t = 0; t < 10 * Fixture.DELAY; t += 10) {
            primary.tick(t);
        }
        assertThat(sent(drain(primary), PrePrepare.class)).isEmpty();
    }

    @Test
    void primaryPipelinesUpToTheCheckpointItHasNotExecutedAndNeverBeyondTheHighWatermark() {
        Replica primary = fx.replica(0);
        for (int i = 0; i < (Fixture.L + 2) * Fixture.BATCH_MAX; i++) {
            primary.submit(request("a", i));
        }
        List<PrePrepare> pps = sent(drain(primary), PrePrepare.class);
        // The gate (Epochs): nothing above the first checkpoint until this replica executed it.
        assertThat(pps).extracting(PrePrepare::sequence).hasSize((int) Fixture.K).startsWith(1L).endsWith(Fixture.K);
        assertThat(Fixture.K).isLessThan(Fixture.L);
        assertThat(primary.status().pendingRequests()).isEqualTo((int) (Fixture.L + 2 - Fixture.K) * Fixture.BATCH_MAX);
    }

    @Test
    void primaryQueuesEachRequestOnce() {
        Replica primary = fx.replica(0);
        fx.executed.add("done#1");
        primary.submit(request("done", 1));
        primary.submit(request("a", 1));
        primary.submit(request("a", 1));
        assertThat(primary.status().pendingRequests()).isEqualTo(1);
        primary.tick(Fixture.DELAY);
        assertThat(sent(drain(primary), PrePrepare.class)).hasSize(1);
        primary.submit(request("a", 1)); // now in an in-flight batch
        primary.tick(2 * Fixture.DELAY + 1);
        assertThat(primary.status().pendingRequests()).isZero();
        assertThat(primary.hasReady()).isFalse();
    }

    @Test
    void primaryTimestampsNeverGoBackwards() {
        Replica primary = fx.replica(0, new RecoveredState(0, 0, 5_000));
        primary.tick(100);
        primary.submit(request("a", 1));
        primary.tick(100 + Fixture.DELAY);
        assertThat(sent(drain(primary), PrePrepare.class)).singleElement()
                .satisfies(pp -> assertThat(pp.timestamp()).isEqualTo(5_000));
    }

    @Test
    void backupForwardsRequestsToPrimary() {
        Replica backup = fx.replica(2);
        backup.submit(request("a", 1));
        backup.submit(request("a", 2));
        backup.submit(request("a", 1));
        Ready ready = drain(backup);
        assertThat(ready.messages()).singleElement().satisfies(o -> {
            assertThat(o.to()).isZero();
            assertThat(((Forward) o.message().message()).requests())
                    .extracting(ClientRequest::nonce).containsExactly(1L, 2L);
        });
        assertThat(ready.persist()).isEmpty();
    }

    @Test
    void aBackupForwardsManyRequestsInForwardsShapedLikeBatchesSoNoneIsTooLargeForAPeer() {
        Replica backup = fx.replica(2);
        List<ClientRequest> submitted = new java.util.ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            submitted.add(request("a", i, 10));
        }
        submitted.add(request("b", 1, 600));
        submitted.add(request("b", 2, 600));
        submitted.add(request("b", 3, (int) Fixture.BATCH_BYTES + 1)); // larger than a batch: alone
        submitted.forEach(backup::submit);

        List<Forward> forwards = sent(drain(backup), Forward.class);

        assertThat(forwards).allSatisfy(f -> {
            assertThat(f.requests().size()).isLessThanOrEqualTo(Fixture.BATCH_MAX);
            long bytes = f.requests().stream().mapToLong(ClientRequest::size).sum();
            assertThat(bytes <= Fixture.BATCH_BYTES || f.requests().size() == 1).as("%d bytes in %s", bytes, f).isTrue();
        });
        assertThat(forwards.stream().flatMap(f -> f.requests().stream()).toList()).as("all of them, in order")
                .containsExactlyElementsOf(submitted);
    }

    @Test
    void backupDoesNotForwardRequestsAlreadyExecutedOrOrdered() {
        Replica backup = fx.replica(2);
        fx.executed.add("a#1");
        backup.submit(request("a", 1));
        backup.step(Fixture.prePrepare(0, 0, 1, 0, request("b", 1)));
        drain(backup);
        backup.submit(request("b", 1));
        assertThat(sent(drain(backup), Forward.class)).isEmpty();
    }

    @Test
    void primaryOrdersForwardedRequestsAndABackupRelaysThemAsIfAClientHadSentThem() {
        Replica primary = fx.replica(0);
        Forward forward = new Forward(1, List.of(request("a", 1), request("a", 2), request("a", 3)));
        primary.step(Fixture.signed(forward));
        assertThat(sent(drain(primary), PrePrepare.class)).singleElement()
                .satisfies(pp -> assertThat(pp.batch()).hasSize(3));

        // A backup whose timer expired shares what it waits for; another backup relays it to the
        // primary and watches it with its own request timer, as for a client's re-sent request.
        Replica backup = fx.replica(2);
        backup.step(Fixture.signed(forward));
        assertThat(sent(drain(backup), Forward.class)).singleElement()
                .satisfies(f -> assertThat(f.requests()).hasSize(3));
    }
}
