package io.pbftledger.pbft.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable big-endian writer; one per encoding call, never shared. */
final class ByteWriter {
    private byte[] buffer;
    private int size;

    ByteWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            long wanted = Math.max((long) buffer.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("encoding exceeds 2 GiB");
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }

    ByteWriter u8(int v) {
        ensure(1);
        buffer[size++] = (byte) v;
        return this;
    }

    ByteWriter u16(int v) {
        ensure(2);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
        return this;
    }

    ByteWriter u32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    ByteWriter u64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    ByteWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buffer, size, b.length);
        size += b.length;
        return this;
    }

    ByteWriter digest(Digest d) {
        ensure(Digest.LENGTH);
        d.writeTo(java.nio.ByteBuffer.wrap(buffer, size, Digest.LENGTH));
        size += Digest.LENGTH;
        return this;
    }

    ByteWriter string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xffff) {
            throw new IllegalArgumentException("string longer than 65535 UTF-8 bytes");
        }
        return u16(utf8.length).bytes(utf8);
    }

    /** Overwrites a u32 written earlier (used for length prefixes). */
    void patchU32(int at, int v) {
        for (int i = 0; i < 4; i++) {
            buffer[at + i] = (byte) (v >>> (24 - 8 * i));
        }
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }
}
