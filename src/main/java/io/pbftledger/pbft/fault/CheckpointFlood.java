package io.pbftledger.pbft.fault;

import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import java.nio.ByteBuffer;

/**
 * What a {@link FaultMode#CHECKPOINT_FLOOD} replica sends beside its honest messages: CHECKPOINTs in
 * its own name, correctly signed, for ever-increasing sequence numbers (K, 2K, 3K, ...) with state
 * digests that match nothing; every tenth is one past a multiple of K, a sequence no correct replica
 * checkpoints. Deterministic: the n-th call always returns the same message. Not thread-safe: one
 * sending thread owns it.
 */
public final class CheckpointFlood {
    private static final int OFF_INTERVAL_EVERY = 10;
    private final int self;
    private final long interval;
    private final SigningDomain domain;
    private final FaultSigner signer;
    private long sent;

    public CheckpointFlood(int self, long interval, SigningDomain domain, FaultSigner signer) {
        if (self < 0 || interval < 1) {
            throw new IllegalArgumentException("bad checkpoint flood: self=" + self + " interval=" + interval);
        }
        this.self = self;
        this.interval = interval;
        this.domain = java.util.Objects.requireNonNull(domain, "domain");
        this.signer = signer;
    }

    public Signed<Checkpoint> next() {
        sent++;
        long sequence = sent * interval + (sent % OFF_INTERVAL_EVERY == 0 ? 1 : 0);
        Digest digest = Digest.sha256(ByteBuffer.allocate(12).putInt(self).putLong(sequence).array());
        Checkpoint c = new Checkpoint(self, sequence, digest);
        return new Signed<>(c, signer.sign(MessageCodec.signingBytes(domain, c)));
    }

    /** CHECKPOINTs made so far. */
    public long sent() {
        return sent;
    }
}
