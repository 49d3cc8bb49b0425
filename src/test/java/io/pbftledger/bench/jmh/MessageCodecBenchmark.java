package io.pbftledger.bench.jmh;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The peer wire codec on its largest common message: a PRE-PREPARE carrying 500 signed transactions (~200 KB). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MessageCodecBenchmark {
    private Signed<PrePrepare> prePrepare;
    private byte[] encoded;

    @Setup
    public void setUp() {
        List<ClientRequest> batch = Fixtures.requests(Fixtures.BATCH_TRANSACTIONS);
        long timestamp = 1_700_000_000_000L;
        PrePrepare message = new PrePrepare(0, 0, 1, timestamp, BatchDigest.ofRequests(timestamp, batch), batch);
        prePrepare = new Signed<>(message, Fixtures.fakeSignature(0, MessageCodec.signingBytes(Fixtures.DOMAIN, message)));
        encoded = MessageCodec.encode(prePrepare);
        if (!MessageCodec.decode(encoded).equals(prePrepare)) {
            throw new IllegalStateException("the pre-prepare does not round-trip");
        }
    }

    @Benchmark
    public byte[] encodePrePrepare500() {
        return MessageCodec.encode(prePrepare);
    }

    @Benchmark
    public Signed<?> decodePrePrepare500() {
        return MessageCodec.decode(encoded);
    }

    @Benchmark
    public byte[] signingBytesPrePrepare500() {
        return MessageCodec.signingBytes(Fixtures.DOMAIN, prePrepare.message());
    }
}
