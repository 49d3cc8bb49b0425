package io.pbftledger.transport;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.SigningDomain;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The headers a replica puts on its requests to a peer's {@code POST /pbft/messages}: always the kind
 * ({@code X-Pbft-Kind}); without TLS also the signed headers of {@link PeerRequestSignature}, since
 * then nothing else tells the peer who sends. With mutual TLS the certificate does that, and the
 * body is not hashed. Thread-safe.
 */
public final class PeerRequestSigner {
    /** Null for the unsigned kind-only signer. */
    private final java.util.function.Supplier<Ed25519.PrivateKey> key;
    private final SigningDomain chain;
    private final int self;
    private final LongSupplier microsClock;
    /** The last nonce used towards each receiver. */
    private final AtomicLongArray lastNonce;

    private PeerRequestSigner(java.util.function.Supplier<Ed25519.PrivateKey> key, SigningDomain chain, int self, int n,
                              LongSupplier microsClock) {
        this.key = key;
        this.chain = chain;
        this.self = self;
        this.microsClock = microsClock;
        this.lastNonce = new AtomicLongArray(Math.max(1, n));
    }

    /** Only the kind: for mutual TLS, where the sender's certificate names it. */
    public static PeerRequestSigner unsigned() {
        return new PeerRequestSigner(null, null, -1, 1, () -> 0);
    }

    /** Signed headers by replica {@code self} of a membership of {@code n} on {@code chain}. */
    public static PeerRequestSigner signing(Ed25519.PrivateKey key, SigningDomain chain, int self, int n) {
        return signing(key, chain, self, n, PeerRequestSigner::nowMicros);
    }

    static PeerRequestSigner signing(Ed25519.PrivateKey key, SigningDomain chain, int self, int n, LongSupplier microsClock) {
        if (key == null) {
            throw new IllegalArgumentException("a signing replica needs its key");
        }
        return signing(() -> key, chain, self, n, microsClock);
    }

    /**
     * Signed headers by replica {@code self}, with whatever key {@code key} gives at each request (a
     * replica that rotated its key switches when the new key's epoch is in force); ids below {@code n}.
     */
    public static PeerRequestSigner signing(java.util.function.Supplier<Ed25519.PrivateKey> key, SigningDomain chain,
                                            int self, int n) {
        return signing(key, chain, self, n, PeerRequestSigner::nowMicros);
    }

    static PeerRequestSigner signing(java.util.function.Supplier<Ed25519.PrivateKey> key, SigningDomain chain, int self,
                                     int n, LongSupplier microsClock) {
        if (key == null || chain == null || self < 0 || self >= n) {
            throw new IllegalArgumentException("a signing replica needs its key, its chain and an id below " + n);
        }
        return new PeerRequestSigner(key, chain, self, n, microsClock);
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The headers of a request of {@code kind} with {@code body} to replica {@code receiver} (public for the benchmarks). */
    public Map<String, String> headers(int receiver, PeerRequestKind kind, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(PeerRequestSignature.KIND_HEADER, kind.header());
        if (key == null) {
            return headers;
        }
        long nonce = nextNonce(receiver);
        Digest sha256 = Digest.sha256(body);
        byte[] signature = key.get().sign(PeerRequestSignature.signingBytes(chain, self, receiver, kind, body.length, sha256, nonce));
        headers.put(PeerRequestSignature.SENDER_HEADER, Integer.toString(self));
        headers.put(PeerRequestSignature.NONCE_HEADER, Long.toString(nonce));
        headers.put(PeerRequestSignature.BODY_SHA256_HEADER, sha256.hex());
        headers.put(PeerRequestSignature.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(signature));
        return headers;
    }

    /** The clock in microseconds, or one more than the last nonce to this receiver if that is not later. */
    private long nextNonce(int receiver) {
        long now = microsClock.getAsLong();
        return lastNonce.updateAndGet(receiver, last -> Math.max(last + 1, now));
    }
}
