package io.pbftledger.sim;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's block hash, stricter than the real header's: it chains the previous hash, the
 * height, what consensus agreed on (sequence, timestamp, batch digest) and what execution made of it
 * (each executed request's id and exact body bytes, and the resulting state), so two replicas that
 * store different transactions or skip different ones under one certificate get different hashes.
 */
final class SimBlocks {
    private SimBlocks() {
    }

    static Digest hash(Digest previous, long height, CommittedBatch batch, List<ClientRequest> executed, Digest state) {
        List<byte[]> parts = new ArrayList<>(4 + 2 * executed.size());
        parts.add(previous.bytes());
        parts.add(ByteBuffer.allocate(28).putLong(height).putLong(batch.sequence()).putLong(batch.timestamp())
                .putInt(executed.size()).array());
        parts.add(batch.batchDigest().bytes());
        for (ClientRequest r : executed) {
            parts.add(r.id().bytes());
            parts.add(Digest.sha256(r.body()).bytes());
        }
        parts.add(state.bytes());
        return Digest.sha256(parts.toArray(new byte[0][]));
    }
}
