package io.pbftledger.api;

import io.pbftledger.chain.LedgerException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a JSON body that is not well-formed UTF-8 (RFC 8259), naming the first bad byte: overlong
 * forms, UTF-16 surrogates written as UTF-8, code points above U+10FFFF, stray or missing
 * continuation bytes. A lenient parser would decode some of these (an overlong '/' as '/'), so the
 * bytes a client sent and the text that was signed could differ; signed content must be
 * unambiguous. Decodes in pieces of a few KiB, holding no copy of the body.
 */
final class Utf8Bodies {
    private static final int PIECE_CHARS = 8 * 1024;

    private Utf8Bodies() {
    }

    static void require(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer piece = CharBuffer.allocate(PIECE_CHARS);
        while (true) {
            CoderResult result = decoder.decode(in, piece, true);
            if (result.isError()) {
                throw LedgerException.invalid("the body is not UTF-8: a malformed byte sequence at byte " + in.position()
                        + " (RFC 8259 requires UTF-8)");
            }
            if (result.isUnderflow()) {
                break;
            }
            piece.clear();
        }
        CoderResult end = decoder.flush(piece);
        if (end.isError()) {
            throw LedgerException.invalid("the body is not UTF-8: it ends inside a character (RFC 8259 requires UTF-8)");
        }
    }
}
