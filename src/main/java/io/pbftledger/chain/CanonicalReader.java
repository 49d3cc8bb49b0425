package io.pbftledger.chain;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Strict reader for {@link CanonicalWriter}'s layouts: every length is checked before use. */
final class CanonicalReader {
    private final byte[] bytes;
    private int pos;

    CanonicalReader(byte[] bytes) {
        this.bytes = bytes;
    }

    void expectAscii(String magic) {
        byte[] want = magic.getBytes(StandardCharsets.US_ASCII);
        byte[] got = take(want.length);
        for (int i = 0; i < want.length; i++) {
            if (got[i] != want[i]) {
                throw LedgerException.invalid("bad magic: not a " + magic + " encoding");
            }
        }
    }

    int u8() {
        need(1);
        return bytes[pos++] & 0xFF;
    }

    int u16() {
        return (u8() << 8) | u8();
    }

    long u32() {
        return ((long) u16() << 16) | u16();
    }

    long u64() {
        return (u32() << 32) | u32();
    }

    byte[] take(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(bytes, pos, out, 0, n);
        pos += n;
        return out;
    }

    String shortString() {
        return utf8(take(u16()));
    }

    String longString(int maxBytes) {
        long len = u32();
        if (len > maxBytes) {
            throw new LedgerException(ErrorKind.TOO_LARGE, "field of " + len + " bytes exceeds " + maxBytes);
        }
        return utf8(take((int) len));
    }

    int position() {
        return pos;
    }

    int remaining() {
        return bytes.length - pos;
    }

    void expectEnd() {
        if (pos != bytes.length) {
            throw LedgerException.invalid((bytes.length - pos) + " trailing bytes");
        }
    }

    private void need(int n) {
        if (n < 0 || bytes.length - pos < n) {
            throw LedgerException.invalid("truncated encoding at byte " + pos);
        }
    }

    private static String utf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw LedgerException.invalid("string is not valid UTF-8");
        }
    }
}
