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
import java.nio.ByteBuffer;
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
 * advance, report it executed, and every checkpoint interval step two others' CHECKPOINTs (with its
 * own, 2f+1) so the watermarks move. Signatures are a SHA-256 stand-in (as the simulator's FakeCrypto), so this is
 * the protocol logic alone; Ed25519 is measured in {@link CryptoBenchmark}. The figure includes
 * building the round's requests and messages; {@code buildRoundOnly} measures that part alone.
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

    private byte[] body;
    private Replica replica;
    private long sequence;
    private long committed;

    @Setup(Level.Trial)
    public void prepareBody() {
        body = Fixtures.requests(1).get(0).body();
    }

    @Setup(Level.Iteration)
    public void freshReplica() {
        ReplicaConfig config = ReplicaConfig.builder(SELF, N)
                .checkpoints(CHECKPOINT_INTERVAL, 2 * CHECKPOINT_INTERVAL)
                .batches(500, 8L << 20, 20)
                .timestampSkewMs(Long.MAX_VALUE / 4)
                .retransmitIntervalMs(1_000)
                .viewChangeTimeoutMs(1_000_000)
                .build();
        replica = new Replica(config, Fixtures.DOMAIN, bytes -> Fixtures.fakeSignature(SELF, bytes), 
                (id, bytes, signature) -> false /* the rounds measured nest no signatures */, (clientId, nonce) -> false, RecoveredState.fresh());
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
        List<ClientRequest> batch = batch(s);
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
            for (int r : new int[] {0, 2}) {
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
        List<ClientRequest> batch = batch(s);
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

    /**
     * Fresh requests for round {@code s}: the core remembers what it ordered, so a request may never
     * come back. Ids are distinct counters rather than hashes of the body (the core does not hash
     * bodies; the driver checks ids before the core sees a request).
     */
    private List<ClientRequest> batch(long s) {
        List<ClientRequest> batch = new ArrayList<>(batchTransactions);
        for (int i = 0; i < batchTransactions; i++) {
            long nonce = s * batchTransactions + i;
            byte[] id = new byte[Digest.LENGTH];
            ByteBuffer.wrap(id).putLong(nonce);
            batch.add(new ClientRequest("client-0", nonce, new Digest(id), body));
        }
        return batch;
    }

    private static <T extends PbftMessage> Signed<T> signed(T message) {
        return new Signed<>(message, Fixtures.fakeSignature(message.replica(), MessageCodec.signingBytes(Fixtures.DOMAIN, message)));
    }
}
