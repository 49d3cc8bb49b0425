package io.pbftledger.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.crypto.Ed25519;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import tools.jackson.databind.json.JsonMapper;

/** Properties of the canonical transaction encoding (the bytes clients sign and replicas exchange). */
class TransactionWireProperties {
    private static final Ed25519.PrivateKey KEY = Ed25519.PrivateKey.fromSeed(new byte[32]);

    @Provide
    Arbitrary<Transaction> transactions() {
        Arbitrary<String> ids = Arbitraries.strings().withChars("abcXYZ0189._-").ofMinLength(1).ofMaxLength(64);
        Arbitrary<String> keys = Arbitraries.strings().withChars("kK09._:-").ofMinLength(1).ofMaxLength(256).injectNull(0.3);
        Arbitrary<Long> nonces = Arbitraries.longs().between(0, Transaction.MAX_NONCE).edgeCases(e -> e.includeOnly(0L, Transaction.MAX_NONCE));
        Arbitrary<Object> scalars = Arbitraries.oneOf(Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.doubles().between(-1e9, 1e9).map(d -> (Object) d));
        Arbitrary<Object> payloads = Arbitraries.oneOf(scalars,
                scalars.list().ofMaxSize(5).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(12), scalars).ofMaxSize(5).map(m -> (Object) m));
        return Combinators.combine(ids, ids, nonces, keys, payloads).as((chain, client, nonce, key, payload) ->
                Transaction.sign(chain, client, nonce, key, JsonMapper.shared().writeValueAsString(payload), KEY));
    }

    @Property(tries = 300)
    void theWireBytesDecodeToTheSameTransactionWithTheSameId(@ForAll("transactions") Transaction tx) {
        Transaction back = Transaction.fromWire(tx.wireBytes());
        assertThat(back).isEqualTo(tx);
        assertThat(back.txId()).isEqualTo(tx.txId());
        assertThat(back.wireBytes()).isEqualTo(tx.wireBytes());
        assertThat(back.verify(KEY.publicKey())).isTrue();
    }

    @Property(tries = 500)
    void anySingleBitFlipOfASignedTransactionFailsVerification(@ForAll("transactions") Transaction tx,
                                                               @ForAll @IntRange(min = 0) int bitChoice) {
        byte[] wire = tx.wireBytes();
        int bit = bitChoice % (wire.length * 8);
        wire[bit / 8] ^= (byte) (1 << (bit % 8));
        Transaction tampered;
        try {
            tampered = Transaction.fromWire(wire);
        } catch (LedgerException | IllegalArgumentException e) {
            return; // refused as malformed: fine
        }
        assertThat(tampered.verify(KEY.publicKey())).as("bit %d of %d flipped", bit, wire.length * 8).isFalse();
    }

    @Property(tries = 50)
    void canonicalizationIsIdempotentSoResubmittingTheSignedPayloadGivesTheSameId(@ForAll("transactions") Transaction tx) {
        Transaction again = Transaction.fromJsonPayload(tx.chainId(), tx.clientId(), tx.nonce(), tx.key(), tx.payload(),
                tx.signature());
        assertThat(again.txId()).isEqualTo(tx.txId());
        assertThat(List.of(again)).containsExactly(tx);
        assertThat(Map.of("p", again.payload())).containsEntry("p", tx.payload());
    }
}
