package io.pbftledger.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;

/** RFC 8785 (JSON Canonicalization Scheme) form of a JSON text. */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /**
     * Returns the RFC 8785 canonical UTF-8 form of {@code json}: object members sorted by their
     * UTF-16 code units, no insignificant whitespace, ECMAScript number formatting.
     *
     * @throws LedgerException INVALID when the text is not JSON
     */
    public static String canonicalize(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedString();
        } catch (IOException | RuntimeException e) {
            throw LedgerException.invalid("payload is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unparseable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
