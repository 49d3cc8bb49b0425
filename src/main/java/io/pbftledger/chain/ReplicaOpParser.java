package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Strict reading of replica-set payloads: known fields only, each of the right type, nothing missing. */
final class ReplicaOpParser {
    /** Highest replica id: ids are 0..99, so every per-replica table at the edge has one bounded size. */
    static final int REPLICA_ID_MAX = ReplicaRoster.REPLICAS_MAX - 1;
    static final int URL_MAX_CHARS = 2_048;

    private static final Map<String, List<String>> FIELDS = Map.of(
            "add", List.of("op", "replicaId", "url", "publicKey"),
            "remove", List.of("op", "replicaId"),
            "rotate-key", List.of("op", "replicaId", "publicKey"),
            "set-url", List.of("op", "replicaId", "url"));

    private ReplicaOpParser() {
    }

    static ReplicaOp parse(String payloadJson) {
        JsonNode root = StrictPayload.object(payloadJson, FIELDS, "\"add\", \"remove\", \"rotate-key\" or \"set-url\"",
                ReplicaOpParser::invalid);
        String op = root.get("op").asString();
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
        return StrictPayload.text(root, field, ReplicaOpParser::invalid);
    }

    private static Ed25519.PublicKey publicKey(JsonNode root) {
        try {
            return Ed25519.PublicKey.fromBase64(text(root, "publicKey"));
        } catch (IllegalArgumentException e) {
            throw invalid("publicKey is not a base64 Ed25519 public key of 32 bytes: " + e.getMessage());
        }
    }

    /** An http(s) base URL, as in the membership file ({@link BaseUrl}). */
    static String url(JsonNode root) {
        String url = text(root, "url");
        if (url.length() > URL_MAX_CHARS) {
            throw invalid("url is longer than " + URL_MAX_CHARS + " characters");
        }
        try {
            return BaseUrl.normalize(url);
        } catch (IllegalArgumentException e) {
            throw invalid("url " + e.getMessage());
        }
    }

    static String toJson(ReplicaOp op) {
        tools.jackson.databind.node.ObjectNode node = StrictPayload.STRICT.createObjectNode().put("op", op.label())
                .put("replicaId", op.replicaId());
        if (op instanceof ReplicaOp.Add add) {
            node.put("url", add.url()).put("publicKey", add.publicKey().toBase64());
        } else if (op instanceof ReplicaOp.RotateKey rotate) {
            node.put("publicKey", rotate.publicKey().toBase64());
        } else if (op instanceof ReplicaOp.SetUrl setUrl) {
            node.put("url", setUrl.url());
        }
        return StrictPayload.STRICT.writeValueAsString(node);
    }

    private static LedgerException invalid(String reason) {
        return LedgerException.invalid("replica-set payload " + reason);
    }
}
