package io.pbftledger.bench.jmh;

import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.Sha256;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Ed25519 over a transaction's signing bytes (~330 bytes for a 256-byte payload): verify is what
 * every replica pays per client transaction, and bounds the cluster's throughput
 * (cores / (n x verify time)).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoBenchmark {
    private Ed25519.PrivateKey key;
    private Ed25519.PublicKey publicKey;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setUp() {
        key = Fixtures.clientKey();
        publicKey = key.publicKey();
        Transaction tx = Fixtures.transaction(key, 1);
        message = tx.signingBytes();
        signature = tx.signature();
        if (!publicKey.verify(message, signature)) {
            throw new IllegalStateException("the fixture's signature does not verify");
        }
    }

    @Benchmark
    public boolean ed25519Verify() {
        return publicKey.verify(message, signature);
    }

    @Benchmark
    public byte[] ed25519Sign() {
        return key.sign(message);
    }

    @Benchmark
    public byte[] sha256() {
        return Sha256.hash(message);
    }
}
