package io.pbftledger.client;

import io.pbftledger.pbft.message.Digest;
import java.util.Base64;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Typed reads of a replica's JSON answer; anything missing or mistyped is a {@link VerificationException}. */
final class JsonFields {
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    private JsonFields() {
    }

    static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        if (node == null || !node.isObject()) {
            throw new VerificationException("the answer lacks the object '" + field + "'");
        }
        return node;
    }

    static JsonNode array(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isArray()) {
            throw new VerificationException("the answer lacks the array '" + field + "'");
        }
        return node;
    }

    static JsonNode value(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isMissingNode()) {
            throw new VerificationException("the answer lacks '" + field + "'");
        }
        return node;
    }

    static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isString()) {
            throw new VerificationException("the answer lacks the string '" + field + "'");
        }
        return node.asString();
    }

    /** A string field that may be null or absent. */
    static String optionalText(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new VerificationException("'" + field + "' is not a string");
        }
        return node.asString();
    }

    static long number(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new VerificationException("the answer lacks the integer '" + field + "'");
        }
        return node.longValue();
    }

    static int smallNumber(JsonNode parent, String field) {
        long value = number(parent, field);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new VerificationException("'" + field + "' is out of range: " + value);
        }
        return (int) value;
    }

    static Digest digest(JsonNode parent, String field) {
        return digestOf(text(parent, field), field);
    }

    static Digest digestOf(String hex, String what) {
        if (hex == null || !HEX_64.matcher(hex).matches()) {
            throw new VerificationException(what + " is not 64 lowercase hex characters");
        }
        return Digest.fromHex(hex);
    }

    static byte[] base64(JsonNode parent, String field) {
        try {
            return Base64.getDecoder().decode(text(parent, field));
        } catch (IllegalArgumentException e) {
            throw new VerificationException("'" + field + "' is not base64");
        }
    }
}
