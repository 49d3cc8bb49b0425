package io.pbftledger.pbft.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message with the sender's signature over {@link MessageCodec#signingBytes(SigningDomain, PbftMessage)}
 * (64-byte Ed25519). The signature array is not copied; treat it as read-only.
 */
public record Signed<T extends PbftMessage>(T message, byte[] signature) {
    public static final int SIGNATURE_LENGTH = 64;

    public Signed {
        Objects.requireNonNull(message, "message");
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be exactly 64 bytes");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signed<?> s && message.equals(s.message) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return message.hashCode() * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "Signed[" + message + "]";
    }
}
