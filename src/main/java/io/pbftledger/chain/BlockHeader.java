package io.pbftledger.chain;

import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.Digest;
import java.util.Objects;

/**
 * A block header. Canonical bytes (big-endian), whose SHA-256 is the block hash:
 * <pre>
 *   "PBFT-BLOCK" 10 bytes ASCII, version u8 = 2, height u64, previousHash 32, timestamp u64 (ms),
 *   sequence u64, batchDigest 32, transactionsRoot 32, stateHash 32, transactionCount u32
 * </pre>
 * The hash covers exactly what consensus agreed on at the sequence (the batch and its timestamp) and
 * what executing it produced. {@code view} and {@code primary} are commit evidence, not identity: they
 * name the view whose commit certificate this replica stored, and they may differ between correct
 * replicas (a batch that prepared in view v commits at some replicas in v and at others in a later
 * view whose NEW-VIEW re-orders it). Hashing them made such replicas' chains differ (version 1).
 */
public record BlockHeader(long height, Digest previousHash, long timestamp, long view, long sequence, int primary,
                          Digest batchDigest, Digest transactionsRoot, Digest stateHash, int transactionCount) {
    public static final String MAGIC = "PBFT-BLOCK";
    public static final int VERSION = 2;

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
                .u64(timestamp).u64(sequence).raw(batchDigest.bytes())
                .raw(transactionsRoot.bytes()).raw(stateHash.bytes()).u32(transactionCount).toByteArray();
    }

    public Digest hash() {
        return new Digest(Sha256.hash(canonicalBytes()));
    }
}
