package io.pbftledger.bench.jmh;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import io.pbftledger.transport.PeerRequestKind;
import io.pbftledger.transport.PeerRequestSignature;
import io.pbftledger.transport.PeerRequestSigner;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the signed headers of a peer request ({@code pbft-ledger/peer-request/v1}, used without TLS)
 * cost per request, for three bodies: one PREPARE (a votes request), a PRE-PREPARE of 100
 * transactions (a batch request), and a VIEW-CHANGE of a full default window (200 prepared slots of
 * 500 request references each, with their PREPAREs). {@code sign} is the sender's work
 * ({@link PeerRequestSigner#headers}: SHA-256 of the body, Ed25519 over the signing bytes, base64);
 * {@code verify} the receiver's: Ed25519 over the signing bytes rebuilt from the headers (before the
 * body is read), then SHA-256 of the body compared with the signed digest.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PeerRequestSignatureBenchmark {
    private static final int SENDER = 1;
    private static final int RECEIVER = 0;
    private static final int N = 4;

    @Param({"prepare", "pre-prepare-100", "view-change-200x500"})
    public String body;

    private PeerRequestSigner signer;
    private Ed25519.PublicKey senderKey;
    private PeerRequestKind kind;
    private byte[] bytes;
    private Digest signedDigest;
    private long nonce;
    private byte[] signature;

    @Setup
    public void setUp() {
        byte[] seed = new byte[Ed25519.KEY_BYTES];
        new Random(7).nextBytes(seed);
        Ed25519.PrivateKey key = Ed25519.PrivateKey.fromSeed(seed);
        senderKey = key.publicKey();
        signer = PeerRequestSigner.signing(key, Fixtures.DOMAIN, SENDER, N);
        switch (body) {
            case "prepare" -> {
                kind = PeerRequestKind.VOTES;
                bytes = MessageCodec.encodeAll(List.of(fake(new Prepare(SENDER, 0, 1, Digest.sha256(new byte[] {1})))));
            }
            case "pre-prepare-100" -> {
                kind = PeerRequestKind.BATCH;
                bytes = MessageCodec.encodeAll(List.of(fake(prePrepare(1, Fixtures.requests(100)))));
            }
            case "view-change-200x500" -> {
                kind = PeerRequestKind.VIEW_CHANGE;
                bytes = MessageCodec.encodeAll(List.of(fake(fullWindowViewChange())));
            }
            default -> throw new IllegalArgumentException("unknown body " + body);
        }
        Map<String, String> headers = signer.headers(RECEIVER, kind, bytes);
        signedDigest = Digest.fromHex(headers.get(PeerRequestSignature.BODY_SHA256_HEADER));
        nonce = Long.parseLong(headers.get(PeerRequestSignature.NONCE_HEADER));
        signature = Base64.getDecoder().decode(headers.get(PeerRequestSignature.SIGNATURE_HEADER));
        if (!verify()) {
            throw new IllegalStateException("the fixture's request signature does not verify");
        }
    }

    private static <T extends PbftMessage> Signed<T> fake(T message) {
        return new Signed<>(message, Fixtures.fakeSignature(message.replica(), MessageCodec.signingBytes(Fixtures.DOMAIN, message)));
    }

    private static PrePrepare prePrepare(long sequence, List<ClientRequest> requests) {
        long timestamp = 1_700_000_000_000L + sequence;
        return new PrePrepare(0, 0, sequence, timestamp, BatchDigest.ofRequests(timestamp, requests), requests);
    }

    /** The window of the defaults (200 sequences) prepared with full batches (500), as references. */
    private static ViewChange fullWindowViewChange() {
        List<ClientRequest> references = Fixtures.requests(Fixtures.BATCH_TRANSACTIONS).stream()
                .map(ClientRequest::reference).toList();
        List<PreparedProof> prepared = new ArrayList<>();
        for (long sequence = 1; sequence <= 200; sequence++) {
            Signed<PrePrepare> prePrepare = fake(prePrepare(sequence, references));
            Digest digest = prePrepare.message().batchDigest();
            prepared.add(new PreparedProof(prePrepare, List.of(fake(new Prepare(1, 0, sequence, digest)),
                    fake(new Prepare(2, 0, sequence, digest)))));
        }
        List<Signed<Checkpoint>> checkpoints = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            checkpoints.add(fake(new Checkpoint(r, 0, Digest.sha256(new byte[] {(byte) r}))));
        }
        return new ViewChange(SENDER, 1, 0, checkpoints, prepared);
    }

    @Benchmark
    public Map<String, String> sign() {
        return signer.headers(RECEIVER, kind, bytes);
    }

    @Benchmark
    public boolean verify() {
        byte[] signed = PeerRequestSignature.signingBytes(Fixtures.DOMAIN, SENDER, RECEIVER, kind, bytes.length,
                signedDigest, nonce);
        return senderKey.verify(signed, signature) && Digest.sha256(bytes).equals(signedDigest);
    }
}
