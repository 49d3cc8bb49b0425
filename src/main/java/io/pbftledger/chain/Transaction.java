package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A client's signed transaction.
 *
 * <p>Signed bytes (big-endian; what the client's Ed25519 signature covers and what txId hashes):
 * <pre>
 *   "PBFT-TX"             7 bytes ASCII magic
 *   version               u8  = 1
 *   chainId               u16 length + UTF-8
 *   clientId              u16 length + UTF-8
 *   nonce                 u64
 *   hasKey                u8  (0 or 1)
 *   key                   u16 length + UTF-8   (only when hasKey = 1)
 *   payload               u32 length + UTF-8 of the payload's RFC 8785 canonical JSON
 * </pre>
 * {@code txId} = lowercase hex SHA-256 of the signed bytes. On the wire between replicas a
 * transaction is its signed bytes followed by the 64-byte signature.
 *
 * <p>What PBFT orders is the {@link #requestId() request id}, SHA-256 of those wire bytes: the
 * batch digest, and so the commit certificate, binds the exact signature as well as the signed
 * fields. A txId alone could name two bodies (the same fields signed by a client's old and new key
 * after a rotation), which honest replicas would execute differently.
 */
public record Transaction(String chainId, String clientId, long nonce, String key, String payload, byte[] signature) {
    public static final String MAGIC = "PBFT-TX";
    public static final int VERSION = 1;
    public static final long MAX_NONCE = (1L << 53) - 1;
    public static final int PAYLOAD_MAX_BYTES = 64 * 1024;
    public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final Pattern KEY_PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,256}");
    /** Largest possible wire encoding: fixed fields, the longest ids, key and payload, signature. */
    public static final int WIRE_MAX_BYTES = 7 + 1 + 2 + 64 + 2 + 64 + 8 + 1 + 2 + 256 + 4 + PAYLOAD_MAX_BYTES + 64;

    public Transaction {
        requireMatch("chainId", chainId, ID_PATTERN);
        requireMatch("clientId", clientId, ID_PATTERN);
        if (nonce < 0 || nonce > MAX_NONCE) {
            throw LedgerException.invalid("nonce must be between 0 and 2^53-1, got " + nonce);
        }
        if (key != null) {
            requireMatch("key", key, KEY_PATTERN);
        }
        Objects.requireNonNull(payload, "payload");
        int payloadBytes = CanonicalJson.utf8Length(payload);
        if (payloadBytes > PAYLOAD_MAX_BYTES) {
            throw new LedgerException(ErrorKind.TOO_LARGE,
                    "payload is " + payloadBytes + " bytes in canonical form; the limit is " + PAYLOAD_MAX_BYTES);
        }
        if (signature == null || signature.length != Ed25519.SIGNATURE_BYTES) {
            throw LedgerException.invalid("signature must be 64 bytes of base64");
        }
        signature = signature.clone();
    }

    /** Builds a transaction from a payload in any JSON form; the payload is canonicalized first. */
    public static Transaction fromJsonPayload(String chainId, String clientId, long nonce, String key,
                                              String payloadJson, byte[] signature) {
        return new Transaction(chainId, clientId, nonce, key, CanonicalJson.canonicalize(payloadJson), signature);
    }

    /** Signs the given fields with a client's key. */
    public static Transaction sign(String chainId, String clientId, long nonce, String key, String payloadJson,
                                   Ed25519.PrivateKey clientKey) {
        String canonical = CanonicalJson.canonicalize(payloadJson);
        byte[] toSign = signingBytes(chainId, clientId, nonce, key, canonical);
        return new Transaction(chainId, clientId, nonce, key, canonical, clientKey.sign(toSign));
    }

    public byte[] signingBytes() {
        return signingBytes(chainId, clientId, nonce, key, payload);
    }

    static byte[] signingBytes(String chainId, String clientId, long nonce, String key, String payload) {
        CanonicalWriter w = new CanonicalWriter(64 + payload.length())
                .ascii(MAGIC).u8(VERSION).shortString(chainId).shortString(clientId).u64(nonce);
        if (key == null) {
            w.u8(0);
        } else {
            w.u8(1).shortString(key);
        }
        return w.longString(payload).toByteArray();
    }

    public Digest txId() {
        return new Digest(Sha256.hash(signingBytes()));
    }

    /** The id PBFT orders this transaction by: SHA-256 of its {@link #wireBytes() wire bytes}, signature included. */
    public Digest requestId() {
        return new Digest(Sha256.hash(wireBytes()));
    }

    public boolean verify(Ed25519.PublicKey clientKey) {
        return clientKey.verify(signingBytes(), signature);
    }

    public String signatureBase64() {
        return Base64.getEncoder().encodeToString(signature);
    }

    /** Signed bytes followed by the 64-byte signature. */
    public byte[] wireBytes() {
        byte[] signed = signingBytes();
        byte[] out = Arrays.copyOf(signed, signed.length + signature.length);
        System.arraycopy(signature, 0, out, signed.length, signature.length);
        return out;
    }

    public static Transaction fromWire(byte[] wire) {
        if (wire.length > WIRE_MAX_BYTES) {
            throw new LedgerException(ErrorKind.TOO_LARGE, "transaction of " + wire.length + " bytes exceeds " + WIRE_MAX_BYTES);
        }
        CanonicalReader r = new CanonicalReader(wire);
        r.expectAscii(MAGIC);
        int version = r.u8();
        if (version != VERSION) {
            throw LedgerException.invalid("unsupported transaction version " + version);
        }
        String chainId = r.shortString();
        String clientId = r.shortString();
        long nonce = r.u64();
        int hasKey = r.u8();
        if (hasKey > 1) {
            throw LedgerException.invalid("hasKey must be 0 or 1");
        }
        String key = hasKey == 1 ? r.shortString() : null;
        String payload = r.longString(PAYLOAD_MAX_BYTES);
        byte[] signature = r.take(Ed25519.SIGNATURE_BYTES);
        r.expectEnd();
        Transaction tx = new Transaction(chainId, clientId, nonce, key, payload, signature);
        if (!CanonicalJson.canonicalize(payload).equals(payload)) {
            throw LedgerException.invalid("payload is not in RFC 8785 canonical form");
        }
        return tx;
    }

    /** This transaction as the opaque request the PBFT core orders, identified by its {@link #requestId()}. */
    public ClientRequest toRequest() {
        byte[] wire = wireBytes();
        return new ClientRequest(clientId, nonce, new Digest(Sha256.hash(wire)), wire);
    }

    private static void requireMatch(String field, String value, Pattern pattern) {
        if (value == null) {
            throw LedgerException.invalid(field + " is required");
        }
        if (!pattern.matcher(value).matches()) {
            throw LedgerException.invalid(field + " must match " + pattern.pattern());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && nonce == t.nonce && chainId.equals(t.chainId)
                && clientId.equals(t.clientId) && Objects.equals(key, t.key) && payload.equals(t.payload)
                && Arrays.equals(signature, t.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chainId, clientId, nonce, key, payload) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Transaction[" + clientId + "#" + nonce + (key == null ? "" : " key=" + key) + "]";
    }
}
