package io.pbftledger.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 (RFC 8032) through Bouncy Castle's lightweight API, which is about ten times faster
 * than the JDK provider. Keys are raw 32-byte values; signatures are 64 bytes.
 */
public final class Ed25519 {
    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    private Ed25519() {
    }

    /** A private key (the 32-byte seed) with its public key. */
    public static final class PrivateKey {
        private final Ed25519PrivateKeyParameters params;
        private final PublicKey publicKey;

        private PrivateKey(Ed25519PrivateKeyParameters params) {
            this.params = params;
            this.publicKey = new PublicKey(params.generatePublicKey().getEncoded());
        }

        public static PrivateKey generate(SecureRandom random) {
            return new PrivateKey(new Ed25519PrivateKeyParameters(random));
        }

        public static PrivateKey fromSeed(byte[] seed) {
            if (seed == null || seed.length != KEY_BYTES) {
                throw new IllegalArgumentException("an Ed25519 private key is 32 bytes");
            }
            return new PrivateKey(new Ed25519PrivateKeyParameters(seed, 0));
        }

        public static PrivateKey fromBase64(String base64) {
            return fromSeed(decodeBase64(base64, "private key"));
        }

        public byte[] seed() {
            return params.getEncoded();
        }

        public String toBase64() {
            return Base64.getEncoder().encodeToString(seed());
        }

        public PublicKey publicKey() {
            return publicKey;
        }

        /** Signs {@code message}; Ed25519 is deterministic, so the same input gives the same signature. */
        public byte[] sign(byte[] message) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, params);
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }

        @Override
        public String toString() {
            return "Ed25519.PrivateKey(public=" + publicKey + ")";
        }
    }

    /** A public key; decoding the curve point once here keeps verification fast. */
    public static final class PublicKey {
        private final byte[] encoded;
        private final Ed25519PublicKeyParameters params;

        public PublicKey(byte[] encoded) {
            if (encoded == null || encoded.length != KEY_BYTES) {
                throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
            }
            this.encoded = encoded.clone();
            try {
                this.params = new Ed25519PublicKeyParameters(this.encoded, 0);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a valid Ed25519 public key", e);
            }
        }

        public static PublicKey fromBase64(String base64) {
            return new PublicKey(decodeBase64(base64, "public key"));
        }

        public byte[] encoded() {
            return encoded.clone();
        }

        public String toBase64() {
            return Base64.getEncoder().encodeToString(encoded);
        }

        /** True only for a 64-byte signature by this key over exactly {@code message}. */
        public boolean verify(byte[] message, byte[] signature) {
            if (signature == null || signature.length != SIGNATURE_BYTES) {
                return false;
            }
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, params);
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PublicKey other && Arrays.equals(encoded, other.encoded);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encoded);
        }

        @Override
        public String toString() {
            return toBase64();
        }
    }

    static byte[] decodeBase64(String base64, String what) {
        if (base64 == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64", e);
        }
    }
}
