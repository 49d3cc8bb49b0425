package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a replica signs when it answers a client about committed data (the reply's {@code attestation}),
 * so that a client can count confirmations from distinct replicas without trusting the transport.
 *
 * <p>Signed bytes (big-endian):
 * <pre>
 *   "PBFT-LEDGER-REPLY/v1"  20 bytes ASCII (domain: never a transaction, block header or PBFT message)
 *   kind                    u8: 1 = transaction, 2 = state key
 *   chainId                 u16 length + UTF-8
 *   subject                 u16 length + UTF-8: the txId as 64 lowercase hex characters (kind 1) or the key (kind 2)
 *   height                  u64: kind 1 the height of the block holding the transaction; kind 2 the height
 *                           this replica answers at (its newest block)
 *   blockHash               32 bytes: the hash of the block at that height
 *   kind 2 only:
 *   valueHash               32 bytes: SHA-256 of the value's RFC 8785 canonical JSON (UTF-8)
 *   writerTxId              32 bytes: the transaction that wrote that value
 * </pre>
 * A state statement binds the value and its writer, so a replica that signs a wrong value signs a
 * provable lie. The signature is the replica's Ed25519 signature over these bytes.
 */
public record ReplyStatement(Kind kind, String chainId, String subject, long height, Digest blockHash,
                             Digest valueHash, Digest writerTxId) {
    public static final String DOMAIN = "PBFT-LEDGER-REPLY/v1";

    /** What the statement is about. */
    public enum Kind {
        TRANSACTION(1), STATE(2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    public ReplyStatement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(blockHash, "blockHash");
        if (height < 0) {
            throw new IllegalArgumentException("height is never negative, got " + height);
        }
        boolean state = kind == Kind.STATE;
        if (state != (valueHash != null) || state != (writerTxId != null)) {
            throw new IllegalArgumentException("valueHash and writerTxId belong to state statements, and only to them");
        }
    }

    /** "Transaction {@code txId} is committed in block {@code height} whose hash is {@code blockHash}." */
    public static ReplyStatement transaction(String chainId, Digest txId, long height, Digest blockHash) {
        return new ReplyStatement(Kind.TRANSACTION, chainId, txId.hex(), height, blockHash, null, null);
    }

    /**
     * "At height {@code height} (block {@code blockHash}) key {@code key} holds {@code canonicalValue},
     * written by {@code writerTxId}."
     */
    public static ReplyStatement state(String chainId, String key, long height, Digest blockHash,
                                       String canonicalValue, Digest writerTxId) {
        return new ReplyStatement(Kind.STATE, chainId, key, height, blockHash, valueHash(canonicalValue), writerTxId);
    }

    /** SHA-256 of a canonical JSON value's UTF-8 bytes, as bound by a state statement. */
    public static Digest valueHash(String canonicalValue) {
        return new Digest(Sha256.hash(canonicalValue.getBytes(StandardCharsets.UTF_8)));
    }

    public byte[] signingBytes() {
        CanonicalWriter w = new CanonicalWriter(160).ascii(DOMAIN).u8(kind.code()).shortString(chainId)
                .shortString(subject).u64(height).raw(blockHash.bytes());
        if (kind == Kind.STATE) {
            w.raw(valueHash.bytes()).raw(writerTxId.bytes());
        }
        return w.toByteArray();
    }

    public byte[] sign(Ed25519.PrivateKey replicaKey) {
        return replicaKey.sign(signingBytes());
    }

    public boolean verify(Ed25519.PublicKey replicaKey, byte[] signature) {
        return signature != null && signature.length == Ed25519.SIGNATURE_BYTES
                && replicaKey.verify(signingBytes(), signature);
    }
}
