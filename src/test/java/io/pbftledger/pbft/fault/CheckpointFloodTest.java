package io.pbftledger.pbft.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.pbft.message.Digest;
import org.junit.jupiter.api.Test;

class CheckpointFloodTest {
    private static final SigningDomain DOMAIN = new SigningDomain(Digest.sha256(new byte[] {7}));
    private static final FaultSigner SIGNER = bytes -> new byte[64];

    @Test
    void floodsCheckpointsInItsOwnNameAtEverIncreasingSequencesSomeOffTheInterval() {
        CheckpointFlood flood = new CheckpointFlood(2, 10, DOMAIN, SIGNER);
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Signed<Checkpoint> c = flood.next();
            assertThat(c.message().replica()).isEqualTo(2);
            sequences.add(c.message().sequence());
        }
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
        assertThat(sequences).filteredOn(s -> s % 10 != 0).containsExactly(101L, 201L, 301L);
        assertThat(flood.sent()).isEqualTo(30);
    }

    @Test
    void theSameCallAlwaysGivesTheSameCheckpoint() {
        CheckpointFlood a = new CheckpointFlood(1, 100, DOMAIN, SIGNER);
        CheckpointFlood b = new CheckpointFlood(1, 100, DOMAIN, SIGNER);
        for (int i = 0; i < 5; i++) {
            assertThat(a.next().message()).isEqualTo(b.next().message());
        }
    }

    @Test
    void theModeIsNamedCheckpointFloodAndSendsHonestMessagesUnchanged() {
        assertThat(new io.pbftledger.config.LedgerProperties.FaultInjection(true, "checkpoint-flood", 0, null).faultMode())
                .hasValue(FaultMode.CHECKPOINT_FLOOD);
        FaultInjector injector = new FaultInjector(FaultMode.CHECKPOINT_FLOOD, 1, 4, 0, DOMAIN, SIGNER);
        Signed<Checkpoint> honest = new Signed<>(new Checkpoint(1, 10, io.pbftledger.pbft.message.Digest.ZERO),
                new byte[64]);
        assertThat(injector.outgoing(2, honest)).containsExactly(honest);
    }
}
