package io.pbftledger.bench.jmh;

import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.SigningDomain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Inputs shaped like the bench command's load: 256-byte payloads, a state key, signed by a client. */
final class Fixtures {
    static final String CHAIN_ID = "pbft-bench-jmh";
    static final SigningDomain DOMAIN = new SigningDomain(Digest.sha256(CHAIN_ID.getBytes(StandardCharsets.UTF_8)));
    static final int PAYLOAD_BYTES = 256;
    static final int BATCH_TRANSACTIONS = 500;

    private Fixtures() {
    }

    /** A fixed key, so every run measures the same inputs. */
    static Ed25519.PrivateKey clientKey() {
        byte[] seed = new byte[Ed25519.KEY_BYTES];
        new Random(42).nextBytes(seed);
        return Ed25519.PrivateKey.fromSeed(seed);
    }

    static String payload() {
        char[] letters = new char[PAYLOAD_BYTES - 2];
        Arrays.fill(letters, 'x');
        return '"' + new String(letters) + '"';
    }

    static Transaction transaction(Ed25519.PrivateKey key, long nonce) {
        return Transaction.sign(CHAIN_ID, "client-0", nonce, "bench." + (nonce % 1024), payload(), key);
    }

    /** {@code count} signed transactions as the requests the core orders (body = wire bytes, id = txId). */
    static List<ClientRequest> requests(int count) {
        Ed25519.PrivateKey key = clientKey();
        List<ClientRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(transaction(key, i).toRequest());
        }
        return List.copyOf(requests);
    }

    /** A SHA-256 stand-in signature, like the simulator's FakeCrypto: the core's own cost without Ed25519. */
    static byte[] fakeSignature(int replica, byte[] signingBytes) {
        byte[] d = Digest.sha256(new byte[] {(byte) replica}, signingBytes).bytes();
        return Arrays.copyOf(d, 64);
    }
}
