package io.pbftledger.chain;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shape every system-transaction payload shares (membership and replica-set changes): a JSON
 * object without duplicate keys, an {@code op} naming one of the known operations, and only that
 * operation's fields.
 */
final class StrictPayload {
    static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictPayload() {
    }

    /**
     * The payload's root object, checked against {@code fieldsByOp} (op to its allowed fields, op
     * included); {@code invalid} turns a reason into the exception to throw, {@code ops} names the ops
     * for the message.
     */
    static JsonNode object(String payloadJson, Map<String, List<String>> fieldsByOp, String ops,
                           Function<String, LedgerException> invalid) {
        JsonNode root;
        try {
            root = STRICT.readTree(payloadJson);
        } catch (JacksonException e) {
            throw invalid.apply("is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid.apply("must be a JSON object with an 'op' field");
        }
        JsonNode opNode = root.get("op");
        if (opNode == null || !opNode.isString() || !fieldsByOp.containsKey(opNode.asString())) {
            throw invalid.apply("needs \"op\": " + ops);
        }
        String op = opNode.asString();
        List<String> allowed = fieldsByOp.get(op);
        for (Iterator<String> names = root.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw invalid.apply("has unknown field '" + name + "' for op '" + op + "' (known fields: "
                        + String.join(", ", allowed) + ")");
            }
        }
        return root;
    }

    /** The string field {@code field}, or {@code invalid}'s exception naming it. */
    static String text(JsonNode root, String field, Function<String, LedgerException> invalid) {
        JsonNode node = root.get(field);
        if (node == null || !node.isString()) {
            throw invalid.apply("needs the string field '" + field + "'");
        }
        return node.asString();
    }
}
