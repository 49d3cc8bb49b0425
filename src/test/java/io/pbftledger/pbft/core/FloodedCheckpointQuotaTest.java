package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.checkpoint;
import static io.pbftledger.pbft.core.Fixture.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Digest;
import org.junit.jupiter.api.Test;

/**
 * A replica that floods CHECKPOINTs far above the window fills its own per-sender quota; its honest
 * vote at a checkpoint that can become stable must not be what the quota evicts. Found by the
 * simulator's long search (adversarial seeds 103025, 111858 and 128708): with checkpoint-flood
 * replicas among the signers of the others' stable checkpoint, a replica that was behind (left alone
 * in a view change; restarted past its window; holding the flood's made-up vote at that sequence)
 * evicted the flooders' honest votes at that checkpoint at once, as those senders' oldest, or
 * refused them as conflicting, never made it stable, and stayed behind for good in an idle cluster.
 */
class FloodedCheckpointQuotaTest {
    private final Fixture fx = new Fixture();
    private final Digest state = Digest.sha256(new byte[] {42});

    @Test
    void aFloodersVoteInsideTheWindowStillCountsTowardsAStableCheckpoint() {
        Replica backup = fx.replica(1);
        for (long s = 100; s < 200; s++) {
            backup.step(checkpoint(2, s * Fixture.K, Digest.sha256(new byte[] {(byte) s})));
        }
        // The others' stable checkpoint at K, signed by replicas 0, 2 (the flooder) and 3.
        backup.step(checkpoint(0, Fixture.K, state));
        backup.step(checkpoint(2, Fixture.K, state));
        backup.step(checkpoint(3, Fixture.K, state));

        assertThat(drain(backup).stableCheckpoints()).singleElement()
                .satisfies(stable -> assertThat(stable.sequence()).isEqualTo(Fixture.K));
        assertThat(backup.status().stableCheckpoint()).isEqualTo(Fixture.K);
        assertThat(backup.retainedCheckpointSequences()).as("still within one quota per sender")
                .isLessThanOrEqualTo(4 * (int) (Fixture.L / Fixture.K + 2));
    }

    /**
     * A replica restarted having executed up to 3K, above its window (stable 0, high watermark 2K),
     * signs its checkpoint at 3K again. Replica 3 is silent; replica 0 and the flooding replica 2 sign
     * 3K too: with its own vote that is 2f+1, and it must not evict the flooder's vote there, the one
     * sequence above the window it voted for itself.
     */
    @Test
    void aFloodersVoteWhereThisReplicaVotedItselfStillCountsAboveTheWindow() {
        long executed = 3 * Fixture.K;
        Replica backup = fx.replica(1, new RecoveredState(0, executed, 1, null, java.util.List.of(),
                new RecoveredState.ExecutedCheckpoint(executed, state)));
        assertThat(drain(backup).messages()).as("it signs its checkpoint again").isNotEmpty();
        for (long s = 100; s < 200; s++) {
            backup.step(checkpoint(2, s * Fixture.K, Digest.sha256(new byte[] {(byte) s})));
        }
        backup.step(checkpoint(0, executed, state));
        backup.step(checkpoint(2, executed, state));

        assertThat(drain(backup).stableCheckpoints()).singleElement()
                .satisfies(stable -> assertThat(stable.sequence()).isEqualTo(executed));
        assertThat(backup.status().stableCheckpoint()).isEqualTo(executed);
    }

    /**
     * The flood starts at K with a made-up state digest, so the flooder's honest vote at K, sent when
     * it executed K, is refused as conflicting. The made-up vote, which no other vote matches, is what
     * the quota evicts as the flood goes on; the flooder's honest vote, sent again (its latest
     * checkpoint goes out with every retransmission), then counts with replicas 0 and 3.
     */
    @Test
    void aFloodersMadeUpVoteGoesFirstSoItsHonestVoteCountsWhenItComesAgain() {
        Replica backup = fx.replica(1);
        backup.step(checkpoint(2, Fixture.K, Digest.sha256(new byte[] {7})));
        backup.step(checkpoint(0, Fixture.K, state));
        backup.step(checkpoint(2, Fixture.K, state));
        assertThat(drain(backup).stableCheckpoints()).isEmpty();
        for (long s = 100; s < 200; s++) {
            backup.step(checkpoint(2, s * Fixture.K, Digest.sha256(new byte[] {(byte) s})));
        }
        backup.step(checkpoint(2, Fixture.K, state));
        backup.step(checkpoint(3, Fixture.K, state));

        assertThat(drain(backup).stableCheckpoints()).singleElement()
                .satisfies(stable -> assertThat(stable.sequence()).isEqualTo(Fixture.K));
    }
}
