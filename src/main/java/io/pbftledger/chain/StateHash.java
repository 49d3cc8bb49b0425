package io.pbftledger.chain;

import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Chains the world-state writes: stateHash(block) = SHA-256("PBFT-STATE" || previous stateHash ||
 * for each write in transaction order: u16 len + key UTF-8, u32 len + value UTF-8). The writes'
 * canonical order is the order the block executes them, which every replica shares.
 */
public final class StateHash {
    static final byte[] DOMAIN = "PBFT-STATE".getBytes(StandardCharsets.US_ASCII);

    private StateHash() {
    }

    public static Digest next(Digest previous, List<StateWrite> writes) {
        MessageDigest md = Sha256.newDigest();
        md.update(DOMAIN);
        md.update(previous.bytes());
        for (StateWrite write : writes) {
            md.update(new CanonicalWriter(16 + write.value().length())
                    .shortString(write.key()).longString(write.value()).toByteArray());
        }
        return new Digest(md.digest());
    }
}
