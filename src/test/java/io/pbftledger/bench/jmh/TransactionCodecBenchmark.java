package io.pbftledger.bench.jmh;

import io.pbftledger.chain.CanonicalJson;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A transaction's canonical binary encoding both ways, its txId, and RFC 8785 canonicalization of its payload. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TransactionCodecBenchmark {
    private Transaction tx;
    private byte[] wire;
    private String payloadJson;

    @Setup
    public void setUp() {
        tx = Fixtures.transaction(Fixtures.clientKey(), 7);
        wire = tx.wireBytes();
        payloadJson = "{\"memo\": " + Fixtures.payload() + ", \"amount\": 12.50, \"to\": \"client-1\"}";
        if (!Transaction.fromWire(wire).equals(tx)) {
            throw new IllegalStateException("the wire encoding does not round-trip");
        }
    }

    @Benchmark
    public byte[] encodeWire() {
        return tx.wireBytes();
    }

    @Benchmark
    public Transaction decodeWire() {
        return Transaction.fromWire(wire);
    }

    @Benchmark
    public Digest txId() {
        return tx.txId();
    }

    @Benchmark
    public String canonicalizePayload() {
        return CanonicalJson.canonicalize(payloadJson);
    }
}
