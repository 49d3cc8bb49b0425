package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.crypto.Ed25519;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The OpenAPI examples must be real: a reader can paste the example transaction and verify it. */
class ApiExamplesTest {

    @Test
    void theExampleTransactionIsValidlySignedByTheExampleClientKey() {
        StrictJson json = new StrictJson();
        var tx = json.read(ApiExamples.SIGNED_TRANSACTION.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                TransactionRequest.class).toTransaction(json);

        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        Ed25519.PrivateKey key = Ed25519.PrivateKey.fromSeed(seed);
        assertThat(key.publicKey().toBase64()).isEqualTo(ApiExamples.EXAMPLE_CLIENT_PUBLIC_KEY);
        assertThat(tx.verify(key.publicKey())).isTrue();
        assertThat(tx.txId().hex()).isEqualTo(ApiExamples.EXAMPLE_TX_ID);
    }
}
