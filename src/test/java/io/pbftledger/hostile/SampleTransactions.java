package io.pbftledger.hostile;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import java.util.Random;

/** Transactions for the generators: validly signed ones, and ones whose signature is random bytes. */
final class SampleTransactions {
    /** Nonces at and above this are never used by a valid transaction of the run. */
    static final long NEVER_VALID_NONCES = 1L << 40;

    private SampleTransactions() {
    }

    /** A validly signed transaction of {@code client} with a small random payload. */
    static Transaction valid(ClientIdentity client, long nonce, Random random) {
        return client.sign(nonce, "hostile-" + random.nextInt(50), "{\"n\":" + nonce + ",\"v\":" + random.nextInt(1000) + "}");
    }

    /** The fields of a transaction of {@code clientId} whose signature is 64 random bytes. */
    static Transaction forged(String chainId, String clientId, long nonce, Random random) {
        byte[] signature = new byte[64];
        random.nextBytes(signature);
        return new Transaction(chainId, clientId, nonce, "forged-" + random.nextInt(50),
                "{\"forged\":" + nonce + "}", signature);
    }

    /** A nonce no valid transaction of the run uses. */
    static long neverValidNonce(Random random) {
        return NEVER_VALID_NONCES + (random.nextLong() & ((1L << 50) - 1));
    }
}
