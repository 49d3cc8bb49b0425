package io.pbftledger.api;

import io.pbftledger.chain.LedgerException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Strict JSON reading of API request bodies, independent of the application's shared Jackson
 * settings: unknown fields, duplicate keys, trailing content and type coercions ("5" for a number,
 * 5 for a string, 1.5 for an integer) are all refused, and so is a body that is not well-formed
 * UTF-8. Signed content must be unambiguous, so anything a lenient parser would silently repair is
 * an error here. Structure limits
 * ({@link JsonLimits}: depth, string, number and name lengths, properties per object) are checked
 * in one streaming pass before binding. Every failure becomes a {@link LedgerException} INVALID
 * with a one-line reason naming the field.
 */
final class StrictJson {
    private final JsonMapper mapper;
    /** The same settings without a per-document token bound: reads a batch item by item. */
    private final JsonMapper batchMapper;
    private final JsonLimitScanner scanner;

    StrictJson() {
        this(JsonLimits.DEFAULTS);
    }

    StrictJson(JsonLimits limits) {
        this.scanner = new JsonLimitScanner(limits);
        this.mapper = strict(JsonLimitScanner.constraintsAbove(limits, true));
        this.batchMapper = strict(JsonLimitScanner.constraintsAbove(limits, false));
    }

    private static JsonMapper strict(StreamReadConstraints constraints) {
        return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Keep decimal payload numbers exact until RFC 8785 canonicalization decides their form.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    /** Receives one batch item, with its index, as a tree. */
    @FunctionalInterface
    interface BatchItem {
        void accept(int index, JsonNode item);
    }

    /**
     * A batch body, never as one tree: one streaming pass checks the limits (tokens per item), the
     * syntax and the item count, stopping at item {@code maxItems + 1}; only then are the items
     * parsed, one at a time, and handed to {@code each} in order. So at most one item's tree is
     * held, and a refusal of the whole body comes before any item is handed on.
     */
    void forEachBatchItem(byte[] body, int maxItems, BatchItem each) {
        Utf8Bodies.require(body);
        scanner.checkBatch(body, maxItems);
        ObjectReader items = batchMapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser p = batchMapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw LedgerException.invalid("a batch must be a JSON array of transactions");
            }
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JsonNode item = items.readTree(p);
                each.accept(index++, item == null ? NullNode.getInstance() : item);
            }
            if (index == 0) {
                throw LedgerException.invalid("a batch must hold at least one transaction");
            }
        } catch (JacksonException e) {
            // The first pass parsed the same bytes; only a backstop could trip here.
            throw LedgerException.invalid(describe(e));
        }
    }

    /** Parses a whole body as one request record. */
    <T> T read(byte[] body, Class<T> type) {
        Utf8Bodies.require(body);
        scanner.check(body);
        T value;
        try {
            value = mapper.readValue(body, type);
        } catch (JacksonException e) {
            throw LedgerException.invalid(describe(e));
        }
        // A body of just "null" binds to no object at all (found by TransactionJsonFuzzTest).
        if (value == null) {
            throw LedgerException.invalid("request body must be a JSON object, not null");
        }
        return value;
    }

    /** Binds an already parsed tree (one batch item) to a request record. */
    <T> T bind(JsonNode node, Class<T> type) {
        T value;
        try {
            value = mapper.treeToValue(node, type);
        } catch (JacksonException e) {
            throw LedgerException.invalid(describe(e));
        }
        if (value == null) {
            throw LedgerException.invalid("a transaction must be a JSON object, not null");
        }
        return value;
    }

    /** A JSON value in compact form, for canonicalization. */
    String write(JsonNode node) {
        return mapper.writeValueAsString(node);
    }

    static String describe(JacksonException e) {
        String field = fieldPath(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + qualified(fieldPath(u.getPath().subList(0, u.getPath().size() - 1)),
                    u.getPropertyName()) + "'";
        }
        if (e instanceof MismatchedInputException m) {
            if (String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
                return "malformed JSON" + where(e.getLocation()) + ": content after the end of the JSON value";
            }
            if (field.isEmpty()) {
                return "request body must be " + expected(m.getTargetType());
            }
            return "field '" + field + "' must be " + expected(m.getTargetType());
        }
        if (!field.isEmpty()) {
            return "field '" + field + "' is invalid: " + firstLine(e.getOriginalMessage());
        }
        return "malformed JSON" + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage());
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a JSON object";
    }

    private static String fieldPath(List<JacksonException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String qualified(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Jackson appends where an open object or array started, as an internal source description;
        // the location is already given, so cut it off.
        int marker = line.indexOf(" (start marker at");
        return (marker < 0 ? line : line.substring(0, marker)).trim();
    }
}
