package io.pbftledger.pbft.message;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked big-endian reader for hostile input: every length is checked against the bytes
 * that remain before anything is allocated, so a forged count can never cause a large allocation.
 */
final class ByteReader {
    private final byte[] data;
    private final int end;
    private int position;

    ByteReader(byte[] data, int offset, int length) {
        this.data = data;
        this.position = offset;
        this.end = offset + length;
    }

    int remaining() {
        return end - position;
    }

    int position() {
        return position;
    }

    private void need(int bytes, String what) {
        if (bytes < 0 || bytes > remaining()) {
            throw new MessageFormatException("truncated: " + what + " needs " + bytes
                    + " bytes at offset " + position + ", " + remaining() + " remain");
        }
    }

    int u8(String what) {
        need(1, what);
        return data[position++] & 0xff;
    }

    int u16(String what) {
        need(2, what);
        int v = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
        position += 2;
        return v;
    }

    /** A u32 that must fit a non-negative Java int. */
    int u32(String what) {
        need(4, what);
        int v = ByteBuffer.wrap(data, position, 4).getInt();
        position += 4;
        if (v < 0) {
            throw new MessageFormatException(what + " out of range: " + Integer.toUnsignedString(v));
        }
        return v;
    }

    /** A u64 that must fit a non-negative Java long. */
    long u64(String what) {
        need(8, what);
        long v = ByteBuffer.wrap(data, position, 8).getLong();
        position += 8;
        if (v < 0) {
            throw new MessageFormatException(what + " out of range: " + Long.toUnsignedString(v));
        }
        return v;
    }

    byte[] bytes(int length, String what) {
        need(length, what);
        byte[] out = new byte[length];
        System.arraycopy(data, position, out, 0, length);
        position += length;
        return out;
    }

    Digest digest(String what) {
        return new Digest(bytes(Digest.LENGTH, what));
    }

    /** u16 length + strict UTF-8 (malformed sequences are rejected, not replaced). */
    String string(String what) {
        int length = u16(what + " length");
        need(length, what);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, position, length));
            position += length;
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MessageFormatException(what + " is not valid UTF-8", e);
        }
    }

    /** A list count that must not exceed {@code max} nor the items that could fit in the bytes left. */
    int count(int max, int minItemBytes, String what) {
        int count = u32(what);
        if (count > max) {
            throw new MessageFormatException(what + " " + count + " exceeds limit " + max);
        }
        if ((long) count * minItemBytes > remaining()) {
            throw new MessageFormatException("truncated: " + what + " " + count + " cannot fit in "
                    + remaining() + " remaining bytes");
        }
        return count;
    }

    /** Moves past bytes consumed by a nested reader. */
    void bytesSkipped(int length) {
        need(length, "nested message");
        position += length;
    }
}
