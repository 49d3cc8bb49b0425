package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Strict reading of replica-set payloads: known fields only, each of the right type, nothing missing. */
final class ReplicaOpParser {
    /** Highest replica id: ids are 0..99, so every per-replica table at the edge has one bounded size. */
    static final int REPLICA_ID_MAX = ReplicaRoster.REPLICAS_MAX - 1;
    static final int URL_MAX_CHARS = 2_048;

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Map<String, List<String>> FIELDS = Map.of(
            "add", List.of("op", "replicaId", "url", "publicKey"),
            "remove", List.of("op", "replicaId"),
            "rotate-key", List.of("op", "replicaId", "publicKey"),
            "set-url", List.of("op", "replicaId", "url"));

    private ReplicaOpParser() {
    }

    static ReplicaOp parse(String payloadJson) {
        JsonNode root;
        try {
            root = STRICT.readTree(payloadJson);
        } catch (JacksonException e) {
            throw invalid("is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("must be a JSON object with an 'op' field");
        }
        JsonNode opNode = root.get("op");
        if (opNode == null || !opNode.isString() || !FIELDS.containsKey(opNode.asString())) {
            throw invalid("needs \"op\": \"add\", \"remove\", \"rotate-key\" or \"set-url\"");
        }
        String op = opNode.asString();
        List<String> allowed = FIELDS.get(op);
        for (Iterator<String> names = root.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw invalid("has unknown field '" + name + "' for op '" + op + "' (known fields: "
                        + String.join(", ", allowed) + ")");
            }
        }
        int id = replicaId(root);
        return switch (op) {
            case "add" -> new ReplicaOp.Add(id, url(root), publicKey(root));
            case "remove" -> new ReplicaOp.Remove(id);
            case "rotate-key" -> new ReplicaOp.RotateKey(id, publicKey(root));
            default -> new ReplicaOp.SetUrl(id, url(root));
        };
    }

    private static int replicaId(JsonNode root) {
        JsonNode node = root.get("replicaId");
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()
                || node.asInt() < 0 || node.asInt() > REPLICA_ID_MAX) {
            throw invalid("needs 'replicaId', an integer from 0 to " + REPLICA_ID_MAX);
        }
        return node.asInt();
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isString()) {
            throw invalid("needs the string field '" + field + "'");
        }
        return node.asString();
    }

    private static Ed25519.PublicKey publicKey(JsonNode root) {
        try {
            return Ed25519.PublicKey.fromBase64(text(root, "publicKey"));
        } catch (IllegalArgumentException e) {
            throw invalid("publicKey is not a base64 Ed25519 public key of 32 bytes: " + e.getMessage());
        }
    }

    /**
     * An http(s) base URL with a host and no path, query, fragment or user info, as in the membership
     * file; one trailing slash is dropped, so two spellings of one URL are one URL.
     */
    static String url(JsonNode root) {
        String url = text(root, "url");
        if (url.length() > URL_MAX_CHARS) {
            throw invalid("url is longer than " + URL_MAX_CHARS + " characters");
        }
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI uri = new URI(trimmed);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!http || uri.getHost() == null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw invalid("url must be an http(s) base URL such as http://10.0.0.1:8080, got '" + url + "'");
            }
            return trimmed;
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL: '" + url + "'");
        }
    }

    static String toJson(ReplicaOp op) {
        tools.jackson.databind.node.ObjectNode node = STRICT.createObjectNode().put("op", op.label())
                .put("replicaId", op.replicaId());
        if (op instanceof ReplicaOp.Add add) {
            node.put("url", add.url()).put("publicKey", add.publicKey().toBase64());
        } else if (op instanceof ReplicaOp.RotateKey rotate) {
            node.put("publicKey", rotate.publicKey().toBase64());
        } else if (op instanceof ReplicaOp.SetUrl setUrl) {
            node.put("url", setUrl.url());
        }
        return STRICT.writeValueAsString(node);
    }

    private static LedgerException invalid(String reason) {
        return LedgerException.invalid("replica-set payload " + reason);
    }
}
