package io.pbftledger.bench.jmh;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.core.MessageVerifier;
import io.pbftledger.pbft.core.Ready;
import io.pbftledger.pbft.core.RecoveredState;
import io.pbftledger.pbft.core.Replica;
import io.pbftledger.pbft.core.ReplicaConfig;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pure core's cost of one normal-case round at a backup (replica 1 of 4, view 0): step the
 * primary's PRE-PREPARE, two PREPAREs and three COMMITs, take the Ready with the committed batch,
 * advance, report it executed, and every checkpoint interval step the others' CHECKPOINTs so the
 * watermarks move. Signatures are a SHA-256 stand-in (as the simulator's FakeCrypto), so this is
 * the protocol logic alone; Ed25519 is measured in {@link CryptoBenchmark}. The input messages are
 * built per round outside the measured part only where JMH allows it cheaply, so the figure
 * includes building them (a few microseconds; see {@code buildRoundOnly}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReplicaRoundBenchmark {
    private static final int N = 4;
    private static final int SELF = 1;
    private static final long CHECKPOINT_INTERVAL = 100;

    @Param({"1", "500"})
    public int batchTransactions;

    private List<ClientRequest> pool;
    private Replica replica;
    private long sequence;
    private long committed;

    @Setup(Level.Trial)
    public void prepareRequests() {
        pool = Fixtures.requests(Math.max(batchTransactions, 1) * 2);
    }

    @Setup(Level.Iteration)
    public void freshReplica() {
        ReplicaConfig config = new ReplicaConfig(SELF, N, CHECKPOINT_INTERVAL, 2 * CHECKPOINT_INTERVAL, 500, 8L << 20, 20,
                Long.MAX_VALUE / 4, 1_000, 1_000_000);
        replica = new Replica(config, bytes -> Fixtures.fakeSignature(SELF, bytes), MessageVerifier.REJECT_ALL,
                (clientId, nonce) -> false, RecoveredState.fresh());
        sequence = 0;
        committed = 0;
    }

    @TearDown(Level.Iteration)
    public void checkEveryRoundCommitted() {
        if (committed != sequence || !replica.dropCounts().values().stream().allMatch(c -> c == 0)) {
            throw new IllegalStateException("only " + committed + " of " + sequence + " rounds committed; drops: " + replica.dropCounts());
        }
    }

    @Benchmark
    public Ready round() {
        long s = ++sequence;
        // alternate between two disjoint request sets: a batch never repeats the one still in flight
        int offset = (int) (s % 2) * batchTransactions;
        List<ClientRequest> batch = pool.subList(offset, offset + batchTransactions);
        Digest digest = BatchDigest.ofRequests(s, batch);
        replica.tick(s);
        replica.step(signed(new PrePrepare(0, 0, s, s, digest, batch)));
        replica.step(signed(new Prepare(2, 0, s, digest)));
        replica.step(signed(new Prepare(3, 0, s, digest)));
        replica.step(signed(new Commit(0, 0, s, digest)));
        replica.step(signed(new Commit(2, 0, s, digest)));
        replica.step(signed(new Commit(3, 0, s, digest)));
        Ready ready = replica.ready();
        replica.advance(ready);
        for (CommittedBatch done : ready.committed()) {
            committed++;
            replica.executed(done.sequence(), Digest.ZERO);
        }
        if (s % CHECKPOINT_INTERVAL == 0) {
            for (int r : new int[] {0, 2, 3}) {
                replica.step(signed(new Checkpoint(r, s, Digest.ZERO)));
            }
            replica.advance(replica.ready());
        }
        return ready;
    }

    /** Building the six input messages and their stand-in signatures, without the core: subtract it from round. */
    @Benchmark
    public List<Signed<?>> buildRoundOnly() {
        long s = ++sequence;
        committed++;
        int offset = (int) (s % 2) * batchTransactions;
        List<ClientRequest> batch = pool.subList(offset, offset + batchTransactions);
        Digest digest = BatchDigest.ofRequests(s, batch);
        List<Signed<?>> messages = new ArrayList<>(6);
        messages.add(signed(new PrePrepare(0, 0, s, s, digest, batch)));
        messages.add(signed(new Prepare(2, 0, s, digest)));
        messages.add(signed(new Prepare(3, 0, s, digest)));
        messages.add(signed(new Commit(0, 0, s, digest)));
        messages.add(signed(new Commit(2, 0, s, digest)));
        messages.add(signed(new Commit(3, 0, s, digest)));
        return messages;
    }

    private static <T extends PbftMessage> Signed<T> signed(T message) {
        return new Signed<>(message, Fixtures.fakeSignature(message.replica(), MessageCodec.signingBytes(message)));
    }
}
