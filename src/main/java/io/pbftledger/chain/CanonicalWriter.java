package io.pbftledger.chain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian writer for the ledger's canonical byte layouts (transactions, block headers). */
final class CanonicalWriter {
    private final ByteArrayOutputStream out;

    CanonicalWriter(int expectedBytes) {
        this.out = new ByteArrayOutputStream(expectedBytes);
    }

    CanonicalWriter ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    CanonicalWriter u8(int v) {
        out.write(v);
        return this;
    }

    CanonicalWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    CanonicalWriter u32(long v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    CanonicalWriter u64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    CanonicalWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** u16 byte length, then UTF-8. */
    CanonicalWriter shortString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string longer than 65535 bytes");
        }
        return u16(utf8.length).raw(utf8);
    }

    /** u32 byte length, then UTF-8. */
    CanonicalWriter longString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return u32(utf8.length).raw(utf8);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
