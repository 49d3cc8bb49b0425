package io.pbftledger.pbft.message;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 digest compared by content.
 *
 * <p>The array is copied on the way in and on the way out of {@link #bytes()} so the value stays
 * immutable; hot paths use {@link #writeTo(ByteBuffer)} and {@link #update(MessageDigest)},
 * which do not copy.
 */
public record Digest(byte[] bytes) implements Comparable<Digest> {
    public static final int LENGTH = 32;
    public static final Digest ZERO = new Digest(new byte[LENGTH]);
    private static final HexFormat HEX = HexFormat.of();

    public Digest {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("digest must be exactly 32 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    /** SHA-256 over the concatenation of the parts. */
    public static Digest sha256(byte[]... parts) {
        MessageDigest md = newSha256();
        for (byte[] part : parts) {
            md.update(part);
        }
        return new Digest(md.digest());
    }

    public static Digest fromHex(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("digest hex must have 64 characters");
        }
        return new Digest(HEX.parseHex(hex));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** Appends the 32 bytes without copying. */
    public void writeTo(ByteBuffer buffer) {
        buffer.put(bytes);
    }

    /** Feeds the 32 bytes into a running hash without copying. */
    public void update(MessageDigest md) {
        md.update(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Digest o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
