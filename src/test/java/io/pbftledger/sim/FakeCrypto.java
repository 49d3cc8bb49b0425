package io.pbftledger.sim;

import io.pbftledger.pbft.core.MessageSigner;
import io.pbftledger.pbft.core.MessageVerifier;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Deterministic stand-in for Ed25519: signature = SHA-256(u32 replica || signing bytes), padded with
 * zeros to 64 bytes. Only the claimed sender's "key" (its id) reproduces it, so a message that
 * names another replica as its sender than the one that signed it fails verification.
 */
final class FakeCrypto {
    /** The one chain every simulated replica signs for. */
    static final SigningDomain DOMAIN = new SigningDomain(Digest.sha256("simulated-chain".getBytes(StandardCharsets.UTF_8)));

    private FakeCrypto() {
    }

    static MessageSigner signer(int replica) {
        return bytes -> signature(replica, bytes);
    }

    static byte[] signature(int replica, byte[] signingBytes) {
        byte[] d = Digest.sha256(ByteBuffer.allocate(4).putInt(replica).array(), signingBytes).bytes();
        return Arrays.copyOf(d, 64);
    }

    static MessageVerifier verifier() {
        return (replica, bytes, signature) -> Arrays.equals(signature(replica, bytes), signature);
    }

    static boolean verify(Signed<? extends PbftMessage> s) {
        byte[] expected = signature(s.message().replica(), MessageCodec.signingBytes(DOMAIN, s.message()));
        return Arrays.equals(expected, s.signature());
    }

    /** The transaction id the (simulated) driver checks: SHA-256(clientId || nonce || body). */
    static Digest requestId(String clientId, long nonce, byte[] body) {
        return Digest.sha256(clientId.getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(8).putLong(nonce).array(), body);
    }

    static boolean validRequest(ClientRequest r) {
        return requestId(r.clientId(), r.nonce(), r.body()).equals(r.id());
    }
}
