package io.pbftledger.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** RFC 8785 (JSON Canonicalization Scheme) form of a JSON text. */
public final class CanonicalJson {
    /** Strict parser: one JSON value, no trailing tokens, no duplicate object members. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CanonicalJson() {
    }

    /**
     * Returns the RFC 8785 canonical UTF-8 form of {@code json}: object members sorted by their
     * UTF-16 code units, no insignificant whitespace, ECMAScript number formatting.
     *
     * @throws LedgerException INVALID when the text is not JSON
     */
    public static String canonicalize(String json) {
        if (json == null || json.isBlank()) {
            throw LedgerException.invalid("payload is missing");
        }
        try {
            STRICT.readTree(json);
        } catch (JacksonException e) {
            throw LedgerException.invalid("payload is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        try {
            // The canonicalizer accepts only objects and arrays at the top; the text is known to be
            // exactly one value, so wrapping it in an array and unwrapping the result is exact.
            String wrapped = new JsonCanonicalizer("[" + json + "]").getEncodedString();
            return wrapped.substring(1, wrapped.length() - 1);
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
