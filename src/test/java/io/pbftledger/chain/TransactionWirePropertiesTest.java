package io.pbftledger.chain;

import static io.pbftledger.testing.PropertyRuns.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.crypto.Ed25519;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Properties of the canonical transaction encoding (the bytes clients sign and replicas exchange),
 * checked over seeded random transactions; see {@link io.pbftledger.testing.PropertyRuns} for the
 * seed and tries ({@code -Dproperties.seed=N}, {@code -Dproperties.tries=N}).
 */
class TransactionWirePropertiesTest {
    private static final Ed25519.PrivateKey KEY = Ed25519.PrivateKey.fromSeed(new byte[32]);

    @Test
    void theWireBytesDecodeToTheSameTransactionWithTheSameId() {
        forAll(300, gen -> {
            Transaction tx = gen.transaction(KEY);
            Transaction back = Transaction.fromWire(tx.wireBytes());
            assertThat(back).isEqualTo(tx);
            assertThat(back.txId()).isEqualTo(tx.txId());
            assertThat(back.wireBytes()).isEqualTo(tx.wireBytes());
            assertThat(back.verify(KEY.publicKey())).isTrue();
        });
    }

    @Test
    void anySingleBitFlipOfASignedTransactionFailsVerification() {
        forAll(500, gen -> {
            Transaction tx = gen.transaction(KEY);
            byte[] wire = tx.wireBytes();
            int bit = gen.nonNegativeInt() % (wire.length * 8);
            wire[bit / 8] ^= (byte) (1 << (bit % 8));
            Transaction tampered;
            try {
                tampered = Transaction.fromWire(wire);
            } catch (LedgerException | IllegalArgumentException e) {
                return; // refused as malformed: fine
            }
            assertThat(tampered.verify(KEY.publicKey())).as("bit %d of %d flipped", bit, wire.length * 8).isFalse();
        });
    }

    @Test
    void canonicalizationIsIdempotentSoResubmittingTheSignedPayloadGivesTheSameId() {
        forAll(50, gen -> {
            Transaction tx = gen.transaction(KEY);
            Transaction again = Transaction.fromJsonPayload(tx.chainId(), tx.clientId(), tx.nonce(), tx.key(),
                    tx.payload(), tx.signature());
            assertThat(again.txId()).isEqualTo(tx.txId());
            assertThat(List.of(again)).containsExactly(tx);
            assertThat(Map.of("p", again.payload())).containsEntry("p", tx.payload());
        });
    }
}
