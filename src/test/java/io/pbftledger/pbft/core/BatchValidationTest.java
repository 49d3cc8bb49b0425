package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.drops;
import static io.pbftledger.pbft.core.Fixture.prePrepare;
import static io.pbftledger.pbft.core.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A backup prepares only a valid batch; an invalid one is dropped and counted. */
class BatchValidationTest {
    private final Fixture fx = new Fixture();
    private final Replica backup = fx.replica(1);

    @Test
    void rejectsBatchWithDuplicateOrExecutedRequest() {
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1), request("a", 1)));
        assertThat(drops(backup, DropReason.INVALID_BATCH)).isEqualTo(1);
        fx.executed.add("b#1");
        backup.step(prePrepare(0, 0, 1, 0, request("b", 1)));
        assertThat(drops(backup, DropReason.REQUEST_ALREADY_ORDERED)).isEqualTo(1);
        assertThat(backup.hasReady()).isFalse();
    }

    @Test
    void rejectsRequestAlreadyInAPrePrepareAtAnotherSequence() {
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1)));
        drain(backup);
        backup.step(prePrepare(0, 0, 2, 0, request("a", 2), request("a", 1)));
        assertThat(drops(backup, DropReason.REQUEST_ALREADY_ORDERED)).isEqualTo(1);
        assertThat(backup.hasReady()).isFalse();
    }

    @Test
    void rejectsEmptyAndOversizedBatches() {
        backup.step(Fixture.signed(new PrePrepare(0, 0, 1, 0, BatchDigest.ofRequests(0, List.of()), List.of())));
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1), request("a", 2), request("a", 3), request("a", 4)));
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1, 600), request("a", 2, 600)));
        assertThat(drops(backup, DropReason.INVALID_BATCH)).isEqualTo(3);
        // One request over the byte limit may travel alone, as the primary sends it.
        backup.step(prePrepare(0, 0, 1, 0, request("a", 1, 2_000)));
        assertThat(backup.hasReady()).isTrue();
    }

    @Test
    void rejectsTimestampTooFarAhead() {
        backup.tick(10_000);
        backup.step(prePrepare(0, 0, 1, 10_000 + Fixture.SKEW + 1, request("a", 1)));
        assertThat(drops(backup, DropReason.TIMESTAMP_OUT_OF_RANGE)).isEqualTo(1);
        backup.step(prePrepare(0, 0, 1, 10_000 + Fixture.SKEW, request("a", 1)));
        assertThat(backup.hasReady()).isTrue();
    }

    @Test
    void rejectsTimestampBeforeThePreviousBatch() {
        backup.tick(10_000);
        backup.step(prePrepare(0, 0, 1, 9_000, request("a", 1)));
        backup.step(prePrepare(0, 0, 2, 8_999, request("a", 2)));
        assertThat(drops(backup, DropReason.TIMESTAMP_OUT_OF_RANGE)).isEqualTo(1);
        backup.step(prePrepare(0, 0, 2, 9_000, request("a", 2)));
        // 4 waits for 3; once 3 is accepted, 4 is checked against it and refused.
        backup.step(prePrepare(0, 0, 4, 9_500, request("a", 4)));
        assertThat(drops(backup, DropReason.BUFFERED_EARLY_PRE_PREPARE)).isEqualTo(1);
        backup.step(prePrepare(0, 0, 3, 9_501, request("a", 3)));
        assertThat(drops(backup, DropReason.TIMESTAMP_OUT_OF_RANGE)).isEqualTo(2);
    }

    @Test
    void rejectsTimestampBeforeTheLastExecutedBatch() {
        Replica restarted = fx.replica(1, new RecoveredState(0, 5, 7_000));
        restarted.tick(10_000);
        restarted.step(prePrepare(0, 0, 6, 6_999, request("a", 1)));
        assertThat(drops(restarted, DropReason.TIMESTAMP_OUT_OF_RANGE)).isEqualTo(1);
        ClientRequest r = request("a", 1);
        restarted.step(prePrepare(0, 0, 6, 7_000, r));
        assertThat(restarted.hasReady()).isTrue();
    }
}
