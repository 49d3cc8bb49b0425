package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.checkpoint;
import static io.pbftledger.pbft.core.Fixture.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Digest;
import org.junit.jupiter.api.Test;

/**
 * A replica that floods CHECKPOINTs far above the window fills its own per-sender quota; its one
 * vote inside the window, which a stable checkpoint may need, must not be what the quota evicts.
 * Found by the simulator (adversarial seed 103025 of the long search): with a checkpoint-flood
 * replica among the 2f+1 signers of the others' stable checkpoint, a replica that was left alone in
 * a view change got that proof again and again, evicted the flooder's vote in it at once as that
 * sender's oldest, never made the checkpoint stable, and stayed behind for good.
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
}
