package io.pbftledger.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
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
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (JacksonException e) {
            throw LedgerException.invalid("payload is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        unpairedSurrogate(tree).ifPresent(where -> {
            throw LedgerException.invalid("payload is not valid JSON: " + where + " holds an unpaired UTF-16 surrogate, "
                    + "which has no UTF-8 form (RFC 8785 takes I-JSON strings, RFC 7493)");
        });
        try {
            // The canonicalizer accepts only objects and arrays at the top; the text is known to be
            // exactly one value, so wrapping it in an array and unwrapping the result is exact.
            String wrapped = new JsonCanonicalizer("[" + json + "]").getEncodedString();
            return wrapped.substring(1, wrapped.length() - 1);
        } catch (IOException | RuntimeException e) {
            throw LedgerException.invalid("payload is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /**
     * Where {@code tree} has a string or property name with an unpaired surrogate ("a string",
     * "a property name"), if anywhere. Such a string has no UTF-8 form: encoding it writes '?', so
     * two payloads would share signed bytes.
     */
    private static Optional<String> unpairedSurrogate(JsonNode tree) {
        ArrayDeque<JsonNode> open = new ArrayDeque<>();
        open.push(tree);
        while (!open.isEmpty()) {
            JsonNode node = open.pop();
            if (node.isString() && unpaired(node.asString())) {
                return Optional.of("a string");
            }
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (unpaired(e.getKey())) {
                        return Optional.of("a property name");
                    }
                    open.push(e.getValue());
                }
            } else if (node.isArray()) {
                node.values().forEach(open::push);
            }
        }
        return Optional.empty();
    }

    private static boolean unpaired(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
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
