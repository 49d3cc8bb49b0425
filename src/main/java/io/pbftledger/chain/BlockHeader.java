package io.pbftledger.chain;

import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.Digest;
import java.util.Objects;

/**
 * A block header. Canonical bytes (big-endian), whose SHA-256 is the block hash:
 * <pre>
 *   "PBFT-BLOCK" 10 bytes ASCII, version u8 = 1, height u64, previousHash 32, timestamp u64 (ms),
 *   view u64, sequence u64, primary u32, batchDigest 32, transactionsRoot 32, stateHash 32,
 *   transactionCount u32
 * </pre>
 */
public record BlockHeader(long height, Digest previousHash, long timestamp, long view, long sequence, int primary,
                          Digest batchDigest, Digest transactionsRoot, Digest stateHash, int transactionCount) {
    public static final String MAGIC = "PBFT-BLOCK";
    public static final int VERSION = 1;

    public BlockHeader {
        if (height < 0 || timestamp < 0 || view < 0 || sequence < 0 || primary < 0 || transactionCount < 0) {
            throw new IllegalArgumentException("block header numbers are never negative");
        }
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(batchDigest, "batchDigest");
        Objects.requireNonNull(transactionsRoot, "transactionsRoot");
        Objects.requireNonNull(stateHash, "stateHash");
    }

    public byte[] canonicalBytes() {
        return new CanonicalWriter(200).ascii(MAGIC).u8(VERSION).u64(height).raw(previousHash.bytes())
                .u64(timestamp).u64(view).u64(sequence).u32(primary).raw(batchDigest.bytes())
                .raw(transactionsRoot.bytes()).raw(stateHash.bytes()).u32(transactionCount).toByteArray();
    }

    public Digest hash() {
        return new Digest(Sha256.hash(canonicalBytes()));
    }
}
