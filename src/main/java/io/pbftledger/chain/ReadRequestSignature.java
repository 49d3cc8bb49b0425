package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The signed-request scheme for reads when {@code ledger.api.reads=authenticated}. A client sends
 * <pre>
 *   X-Ledger-Client:    its client id
 *   X-Ledger-Timestamp: unix time in milliseconds
 *   X-Ledger-Signature: base64 Ed25519 signature over the UTF-8 bytes of
 *       "PBFT-LEDGER-READ/v1\n" + chainId + "\n" + method + "\n" + pathAndQuery + "\n" + timestamp
 * </pre>
 * where {@code pathAndQuery} is the request target exactly as sent (path, and {@code ?query} when
 * there is one, percent-encoding untouched) and {@code timestamp} the header's decimal text.
 */
public final class ReadRequestSignature {
    public static final String CLIENT_HEADER = "X-Ledger-Client";
    public static final String TIMESTAMP_HEADER = "X-Ledger-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Ledger-Signature";
    public static final String DOMAIN = "PBFT-LEDGER-READ/v1";

    private ReadRequestSignature() {
    }

    public static byte[] signingBytes(String chainId, String method, String pathAndQuery, long timestampMs) {
        String text = DOMAIN + "\n" + chainId + "\n" + method + "\n" + pathAndQuery + "\n" + timestampMs;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The X-Ledger-Signature value for a request by {@code identity}. */
    public static String sign(ClientIdentity identity, String method, String pathAndQuery, long timestampMs) {
        byte[] signature = identity.privateKey().sign(signingBytes(identity.chainId(), method, pathAndQuery, timestampMs));
        return Base64.getEncoder().encodeToString(signature);
    }

    public static boolean verify(Ed25519.PublicKey key, String chainId, String method, String pathAndQuery,
                                 long timestampMs, byte[] signature) {
        return key.verify(signingBytes(chainId, method, pathAndQuery, timestampMs), signature);
    }
}
