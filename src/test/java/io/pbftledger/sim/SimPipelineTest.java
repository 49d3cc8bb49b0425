package io.pbftledger.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.Outbound;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.core.StableCheckpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The simulator's model of the staged driver on its own: what a group's fdatasync covers, that
 * nothing leaves or executes before it, that execution follows in sequence order after its own
 * latency, and what each crash point leaves behind.
 */
class SimPipelineTest {
    private static final long SYNC_MS = 5;
    private static final long EXECUTE_MS = 2;

    private final EventQueue events = new EventQueue();
    private final PipelineStats stats = new PipelineStats();
    private final Recorder node = new Recorder();
    /** Every latency is its maximum, so the test knows when each step happens. */
    private final Random longest = new Random() {
        @Override
        public int nextInt(int bound) {
            return bound - 1;
        }
    };
    private final SimPipeline pipeline = new SimPipeline(events, longest, new SimConfig.Disk(SYNC_MS, EXECUTE_MS),
            stats, node);

    /** Records what the stages did to the node, with the simulated time. */
    private final class Recorder implements SimPipeline.Node {
        final List<String> log = new ArrayList<>();
        long executed;

        @Override
        public void journal(List<Signed<? extends PbftMessage>> records) {
            log.add(events.now() + " journal " + records.stream().map(s -> ((Prepare) s.message()).sequence()).toList());
        }

        @Override
        public void send(Outbound out) {
            log.add(events.now() + " send " + ((Prepare) out.message().message()).sequence());
        }

        @Override
        public void execute(CommittedBatch batch) {
            executed = batch.sequence();
            log.add(events.now() + " execute " + batch.sequence());
        }

        @Override
        public void stable(List<StableCheckpoint> checkpoints) {
            checkpoints.forEach(cp -> log.add(events.now() + " stable " + cp.sequence()));
        }

        @Override
        public void compactJournalBelow(long stableSequence) {
            log.add(events.now() + " compact " + stableSequence);
        }

        @Override
        public long executedSequence() {
            return executed;
        }

        @Override
        public void crash() {
            log.add(events.now() + " crash");
            pipeline.crash();
        }
    }

    private static Signed<Prepare> prepare(long sequence) {
        return new Signed<>(new Prepare(0, 0, sequence, Digest.ZERO), new byte[64]);
    }

    private static CommittedBatch batch(long sequence) {
        return new CommittedBatch(0, sequence, 100 + sequence, 0, Digest.ZERO, List.of(), List.of());
    }

    /** A Ready that journals and sends a PREPARE for {@code sequence} and delivers {@code delivered}. */
    private static Ready ready(long sequence, long... delivered) {
        List<CommittedBatch> committed = new ArrayList<>();
        for (long d : delivered) {
            committed.add(batch(d));
        }
        return new Ready(List.of(new Outbound(Outbound.BROADCAST, prepare(sequence))), List.of(prepare(sequence)),
                committed, List.of());
    }

    private void runUntil(long ms) {
        while (events.runNext(ms)) {
            // every step due by then
        }
    }

    @Test
    void readiesQueuedTogetherShareOneSyncAndNothingLeavesOrExecutesBeforeIt() {
        pipeline.hand(ready(1, 1));
        pipeline.hand(ready(2, 2));
        pipeline.hand(ready(3, 3));
        runUntil(SYNC_MS - 1);
        assertThat(node.log).isEmpty();
        runUntil(100);
        assertThat(node.log).containsExactly("5 journal [1, 2, 3]", "5 send 1", "5 send 2", "5 send 3",
                "7 execute 1", "9 execute 2", "11 execute 3");
        SimResult.Pipeline p = stats.snapshot();
        assertThat(p.syncs()).isEqualTo(1);
        assertThat(p.maxGroup()).isEqualTo(3);
        assertThat(p.groupsOfSeveral()).isEqualTo(1);
        assertThat(p.maxExecutionLag()).as("batches 1 and 2 delivered, none executed, when 3 came").isEqualTo(2);
    }

    @Test
    void readiesHandedDuringASyncWaitForTheNextOneAndCompactionRunsBetweenAppends() {
        pipeline.hand(ready(1));
        runUntil(2);
        pipeline.hand(ready(2));
        pipeline.requestCompaction(4);
        runUntil(100);
        assertThat(node.log).containsExactly("5 journal [1]", "5 send 1", "5 compact 4", "10 journal [2]",
                "10 send 2");
    }

    @Test
    void aCrashBeforeTheSyncLosesEveryQueuedReady() {
        pipeline.hand(ready(1, 1));
        pipeline.arm(SimConfig.CrashPoint.BEFORE_SYNC);
        runUntil(2);
        pipeline.hand(ready(2, 2));
        runUntil(100);
        assertThat(node.log).containsExactly("5 crash");
        assertThat(stats.snapshot().crashesAt(SimConfig.CrashPoint.BEFORE_SYNC)).isEqualTo(1);
        assertThat(stats.snapshot().readiesLost()).isEqualTo(2);
    }

    @Test
    void aCrashAfterTheSyncKeepsTheRecordsAndSendsAndExecutesNothing() {
        pipeline.hand(ready(1, 1));
        pipeline.arm(SimConfig.CrashPoint.AFTER_SYNC);
        runUntil(100);
        assertThat(node.log).containsExactly("5 journal [1]", "5 crash");
        assertThat(stats.snapshot().crashesAt(SimConfig.CrashPoint.AFTER_SYNC)).isEqualTo(1);
    }

    @Test
    void aCrashInTheMiddleOfExecutionLeavesTheLaterBatchesUnexecuted() {
        pipeline.hand(ready(1, 1, 2));
        pipeline.hand(ready(2, 3));
        pipeline.arm(SimConfig.CrashPoint.MID_EXECUTION);
        runUntil(100);
        assertThat(node.log).containsExactly("5 journal [1, 2]", "5 send 1", "5 send 2", "7 execute 1", "7 crash");
        assertThat(stats.snapshot().batchesNotExecuted()).isEqualTo(2);
        // Nothing scheduled before the crash runs after it: the restarted node's stages start empty.
        pipeline.hand(ready(9));
        runUntil(200);
        assertThat(node.log).endsWith("7 crash", "12 journal [9]", "12 send 9");
    }

    @Test
    void aStableCheckpointIsHandedOnAfterTheBatchesOfItsReady() {
        StableCheckpoint cp = new StableCheckpoint(2, Digest.ZERO, List.of());
        pipeline.hand(new Ready(List.of(), List.of(prepare(2)), List.of(batch(1), batch(2)), List.of(cp)));
        runUntil(100);
        assertThat(node.log).containsExactly("5 journal [2]", "7 execute 1", "9 execute 2", "9 stable 2");
    }
}
