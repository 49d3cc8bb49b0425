package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Strict reading of membership payloads: known fields only, each of the right type, nothing missing. */
final class MembershipOpParser {
    private static final Map<String, List<String>> FIELDS = Map.of(
            "add", List.of("op", "clientId", "publicKey", "roles"),
            "revoke", List.of("op", "clientId"),
            "roles", List.of("op", "clientId", "roles"));

    private MembershipOpParser() {
    }

    static MembershipOp parse(String payloadJson) {
        JsonNode root = StrictPayload.object(payloadJson, FIELDS, "\"add\", \"revoke\" or \"roles\"",
                MembershipOpParser::invalid);
        String op = root.get("op").asString();
        String clientId = text(root, "clientId");
        if (!Transaction.ID_PATTERN.matcher(clientId).matches()) {
            throw invalid("clientId must match " + Transaction.ID_PATTERN.pattern());
        }
        return switch (op) {
            case "add" -> new MembershipOp.Add(clientId, publicKey(text(root, "publicKey")), roles(root));
            case "revoke" -> new MembershipOp.Revoke(clientId);
            default -> new MembershipOp.SetRoles(clientId, roles(root));
        };
    }

    private static String text(JsonNode root, String field) {
        return StrictPayload.text(root, field, MembershipOpParser::invalid);
    }

    private static Ed25519.PublicKey publicKey(String base64) {
        try {
            return Ed25519.PublicKey.fromBase64(base64);
        } catch (IllegalArgumentException e) {
            throw invalid("publicKey is not a base64 Ed25519 public key of 32 bytes: " + e.getMessage());
        }
    }

    private static Set<Role> roles(JsonNode root) {
        JsonNode node = root.get("roles");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid("needs 'roles', a non-empty array of \"submit\", \"read\", \"admin\"");
        }
        List<Role> roles = new ArrayList<>();
        for (JsonNode r : node) {
            if (!r.isString()) {
                throw invalid("roles must be strings");
            }
            Role role;
            try {
                role = Role.parse(r.asString());
            } catch (IllegalArgumentException e) {
                throw invalid("roles: " + e.getMessage());
            }
            if (roles.contains(role)) {
                throw invalid("lists role '" + role.label() + "' twice");
            }
            roles.add(role);
        }
        return EnumSet.copyOf(roles);
    }

    private static LedgerException invalid(String reason) {
        return LedgerException.invalid("membership payload " + reason);
    }
}
