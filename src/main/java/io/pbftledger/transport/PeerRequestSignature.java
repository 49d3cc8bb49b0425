package io.pbftledger.transport;

import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.SigningDomain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The headers that authenticate a request to {@code POST /pbft/messages} without TLS, checked before
 * any of its body is read:
 * <pre>
 *   X-Pbft-Sender:      the sending replica's id
 *   X-Pbft-Kind:        votes | batch | view-change ({@link PeerRequestKind}; also sent with TLS)
 *   X-Pbft-Nonce:       microseconds since the Unix epoch when signed, strictly increasing per sender and receiver
 *   X-Pbft-Body-Sha256: SHA-256 of the body, 64 lowercase hex characters
 *   X-Pbft-Signature:   base64 Ed25519 signature of the sender's replica key over the bytes below
 * </pre>
 * Signed bytes (big-endian):
 * <pre>
 *   "pbft-ledger/peer-request/v1"  27 ASCII bytes (never the start of a consensus message's signing bytes)
 *   chain                          32 bytes: the genesis block hash ({@link SigningDomain})
 *   sender                         u32
 *   receiver                       u32
 *   kind                           u8: 1 votes, 2 batch, 3 view-change
 *   bodyLength                     u64: the request's Content-Length
 *   bodySha256                     32 bytes
 *   nonce                          u64
 * </pre>
 * The receiver accepts a nonce within its window of its own clock and above the last it accepted
 * from that sender, so a request is never accepted twice, nor by another replica or chain.
 */
public final class PeerRequestSignature {
    public static final String SENDER_HEADER = "X-Pbft-Sender";
    public static final String KIND_HEADER = "X-Pbft-Kind";
    public static final String NONCE_HEADER = "X-Pbft-Nonce";
    public static final String BODY_SHA256_HEADER = "X-Pbft-Body-Sha256";
    public static final String SIGNATURE_HEADER = "X-Pbft-Signature";
    /** The scheme a 401 names in {@code WWW-Authenticate}, and the first bytes signed. */
    public static final String DOMAIN = "pbft-ledger/peer-request/v1";
    private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.US_ASCII);

    private PeerRequestSignature() {
    }

    /** The bytes a sender's signature covers. */
    public static byte[] signingBytes(SigningDomain chain, int sender, int receiver, PeerRequestKind kind,
                                      long bodyLength, Digest bodySha256, long nonce) {
        return ByteBuffer.allocate(DOMAIN_BYTES.length + Digest.LENGTH + 4 + 4 + 1 + 8 + Digest.LENGTH + 8)
                .put(DOMAIN_BYTES).put(chain.genesisHash().bytes())
                .putInt(sender).putInt(receiver).put((byte) kind.code())
                .putLong(bodyLength).put(bodySha256.bytes()).putLong(nonce)
                .array();
    }
}
