package io.pbftledger.config;

import io.pbftledger.crypto.Ed25519;
import java.nio.file.Path;
import java.util.Base64;

/** Field checks shared by the membership and key file loaders, each failing with one line naming file and field. */
final class KeyFileFields {
    private KeyFileFields() {
    }

    static <T> T require(Path file, String field, T value) {
        if (value == null) {
            throw new MembershipFileException(file, "missing field '" + field + "'");
        }
        return value;
    }

    static Ed25519.PublicKey publicKey(Path file, String field, String base64) {
        byte[] bytes = keyBytes(file, field, base64, "Ed25519 public key");
        try {
            return new Ed25519.PublicKey(bytes);
        } catch (IllegalArgumentException e) {
            throw new MembershipFileException(file, field + " is not a valid Ed25519 public key", e);
        }
    }

    static Ed25519.PrivateKey privateKey(Path file, String field, String base64) {
        return Ed25519.PrivateKey.fromSeed(keyBytes(file, field, base64, "Ed25519 private key seed"));
    }

    private static byte[] keyBytes(Path file, String field, String base64, String what) {
        require(file, field, base64);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new MembershipFileException(file, field + " is not valid base64", e);
        }
        if (bytes.length != Ed25519.KEY_BYTES) {
            throw new MembershipFileException(file, field + " must be a base64 " + Ed25519.KEY_BYTES + "-byte " + what
                    + ", got " + bytes.length + " bytes");
        }
        return bytes;
    }
}
