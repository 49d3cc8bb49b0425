package io.pbftledger.transport;

import io.pbftledger.node.StoredCheckpoint;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form of a stable checkpoint for state transfer: {@code u64 sequence | 32 stateDigest |
 * u64 blockHeight | u32 count | count x (u32 replica | 64 signature)}. Decoding is bounded; the
 * proof is verified by the receiver.
 */
final class CheckpointWire {
    private static final int SIGNATURES_MAX = 1024;

    private CheckpointWire() {
    }

    static byte[] encode(StoredCheckpoint cp) {
        ByteBuffer out = ByteBuffer.allocate(8 + 32 + 8 + 4 + cp.proof().size() * 68);
        out.putLong(cp.sequence()).put(cp.stateDigest().bytes()).putLong(cp.blockHeight()).putInt(cp.proof().size());
        for (Signed<Checkpoint> s : cp.proof()) {
            out.putInt(s.message().replica()).put(s.signature());
        }
        return out.array();
    }

    static StoredCheckpoint decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            long sequence = in.getLong();
            byte[] digest = new byte[32];
            in.get(digest);
            long height = in.getLong();
            int count = in.getInt();
            if (sequence < 0 || height < 0 || count < 0 || count > SIGNATURES_MAX || in.remaining() != count * 68) {
                throw new IllegalArgumentException("malformed checkpoint");
            }
            Digest stateDigest = new Digest(digest);
            List<Signed<Checkpoint>> proof = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int replica = in.getInt();
                byte[] sig = new byte[64];
                in.get(sig);
                proof.add(new Signed<>(new Checkpoint(replica, sequence, stateDigest), sig));
            }
            return new StoredCheckpoint(sequence, stateDigest, height, Instant.now(), proof);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated checkpoint", e);
        }
    }
}
