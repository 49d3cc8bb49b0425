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
 *   kind                    u8: 1 = transaction (executed), 2 = state key, 3 = transaction refused at execution
 *   chainId                 u16 length + UTF-8
 *   subject                 u16 length + UTF-8: the txId as 64 lowercase hex characters (kind 1) or the key (kind 2)
 *   height                  u64: kind 1 the height of the block holding the transaction; kind 2 the height
 *                           this replica answers at (its newest block)
 *   blockHash               32 bytes: the hash of the block at that height
 *   kind 2 only:
 *   valueHash               32 bytes: SHA-256 of the value's RFC 8785 canonical JSON (UTF-8)
 *   writerTxId              32 bytes: the transaction that wrote that value
 *   kind 3 only:
 *   refusalKind             u16 length + UTF-8: why execution refused it, an {@link ErrorKind} name
 *   refusalReason           u16 length + UTF-8: the stored one-line reason
 * </pre>
 * A state statement binds the value and its writer, so a replica that signs a wrong value signs a
 * provable lie. A transaction that PBFT ordered but execution refused ({@link Refusal}) is stated with
 * kind 3, never kind 1: the two outcomes differ from the kind byte on, so a signature over a refusal
 * can never be presented as a signature over an executed transaction (and kind 1's bytes stayed what
 * they were before refusals were reported). The signature is the replica's Ed25519 signature over
 * these bytes.
 *
 * @param refused the refusal a kind 3 statement binds; null for the other kinds
 */
public record ReplyStatement(Kind kind, String chainId, String subject, long height, Digest blockHash,
                             Digest valueHash, Digest writerTxId, Refused refused) {
    public static final String DOMAIN = "PBFT-LEDGER-REPLY/v1";

    /** What the statement is about. */
    public enum Kind {
        TRANSACTION(1), STATE(2), REFUSED_TRANSACTION(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /**
     * Why execution refused an ordered transaction, as a kind 3 statement binds it.
     *
     * @param kind   the {@link ErrorKind} name execution refused it with
     * @param reason the stored one-line reason
     */
    public record Refused(String kind, String reason) {
        public Refused {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A statement of kind 1 or 2 (no refusal). */
    public ReplyStatement(Kind kind, String chainId, String subject, long height, Digest blockHash,
                          Digest valueHash, Digest writerTxId) {
        this(kind, chainId, subject, height, blockHash, valueHash, writerTxId, null);
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
        if ((kind == Kind.REFUSED_TRANSACTION) != (refused != null)) {
            throw new IllegalArgumentException("a refusal belongs to refused-transaction statements, and only to them");
        }
    }

    /**
     * "Transaction {@code txId} is committed in block {@code height} whose hash is {@code blockHash}" and,
     * since refusals are stated with {@link #refusedTransaction}, executed there.
     */
    public static ReplyStatement transaction(String chainId, Digest txId, long height, Digest blockHash) {
        return new ReplyStatement(Kind.TRANSACTION, chainId, txId.hex(), height, blockHash, null, null);
    }

    /**
     * "Transaction {@code txId} was ordered into block {@code height} whose hash is {@code blockHash}, and
     * execution refused it ({@code refusalKind}: {@code reason}); it changed nothing."
     */
    public static ReplyStatement refusedTransaction(String chainId, Digest txId, long height, Digest blockHash,
                                                    String refusalKind, String reason) {
        return new ReplyStatement(Kind.REFUSED_TRANSACTION, chainId, txId.hex(), height, blockHash, null, null,
                new Refused(refusalKind, reason));
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
        if (kind == Kind.REFUSED_TRANSACTION) {
            w.shortString(refused.kind()).shortString(refused.reason());
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
