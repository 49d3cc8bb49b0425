package io.pbftledger.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TransactionTest {
    private static final Ed25519.PrivateKey KEY = Ed25519.PrivateKey.generate(new SecureRandom());

    @Test
    void signedBytesFollowTheDocumentedLayout() {
        Transaction tx = Transaction.sign("chain-1", "alice", 258, "k", "{\"b\":1,\"a\":[true]}", KEY);
        byte[] expected = concat(
                "PBFT-TX".getBytes(StandardCharsets.US_ASCII),
                new byte[] {1},
                new byte[] {0, 7}, "chain-1".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, 5}, "alice".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, 0, 0, 0, 0, 0, 1, 2},
                new byte[] {1}, new byte[] {0, 1}, "k".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, 0, 0, 18}, "{\"a\":[true],\"b\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(tx.signingBytes()).isEqualTo(expected);
        assertThat(tx.txId().hex()).isEqualTo(HexFormat.of().formatHex(Sha256.hash(expected)));
        assertThat(tx.verify(KEY.publicKey())).isTrue();
    }

    @Test
    void payloadIsCanonicalizedPerRfc8785BeforeSigning() {
        Transaction a = Transaction.sign("c", "alice", 1, null, "{ \"z\": 1.0, \"a\": \"\\u00e9\" }", KEY);
        Transaction b = Transaction.sign("c", "alice", 1, null, "{\"a\":\"é\",\"z\":1}", KEY);
        assertThat(a.payload()).isEqualTo("{\"a\":\"é\",\"z\":1}");
        assertThat(a.txId()).isEqualTo(b.txId());
    }

    @Test
    void aPayloadWithAnUnpairedSurrogateHasNoCanonicalFormAndIsNeverSigned() {
        // UTF-8 has no form for an unpaired surrogate: its signed bytes would be those of "?", so two
        // payloads would share one signature. RFC 8785 takes I-JSON (RFC 7493), which forbids them.
        for (String payload : new String[] {"{\"t\":\"\\ud800\"}", "[\"a\\udc00\"]", "{\"\\udfff\":1}",
                "\"\\udc00\\ud800\"", "{\"t\":\"\ud800\"}"}) {
            assertThatThrownBy(() -> Transaction.sign("c", "alice", 1, null, payload, KEY)).as(payload)
                    .isInstanceOf(LedgerException.class).hasMessageContaining("unpaired UTF-16 surrogate");
        }
        // a pair is one character, and fine either way it is written
        Transaction escaped = Transaction.sign("c", "alice", 1, null, "{\"t\":\"\\ud83d\\ude00\"}", KEY);
        assertThat(escaped.payload()).isEqualTo("{\"t\":\"\ud83d\ude00\"}");
    }

    @Test
    void wireBytesRoundTrip() {
        Transaction tx = Transaction.sign("c", "alice", 7, null, "[1,2,3]", KEY);
        Transaction back = Transaction.fromWire(tx.wireBytes());
        assertThat(back).isEqualTo(tx);
        assertThat(back.txId()).isEqualTo(tx.txId());
    }

    @Test
    void fromWireRejectsTruncatedTrailingAndForeignEncodings() {
        byte[] wire = Transaction.sign("c", "alice", 7, "key", "{}", KEY).wireBytes();
        assertThatThrownBy(() -> Transaction.fromWire(Arrays.copyOf(wire, wire.length - 1)))
                .isInstanceOf(LedgerException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Transaction.fromWire(Arrays.copyOf(wire, wire.length + 1)))
                .isInstanceOf(LedgerException.class).hasMessageContaining("trailing");
        byte[] other = wire.clone();
        other[0] = 'X';
        assertThatThrownBy(() -> Transaction.fromWire(other)).hasMessageContaining("magic");
        byte[] version = wire.clone();
        version[7] = 2;
        assertThatThrownBy(() -> Transaction.fromWire(version)).hasMessageContaining("version");
    }

    @Test
    void fieldsOutsideTheirRangesAreRefusedWithTheFieldName() {
        byte[] sig = new byte[64];
        assertThatThrownBy(() -> new Transaction("c", "bad id!", 1, null, "1", sig)).hasMessageContaining("clientId");
        assertThatThrownBy(() -> new Transaction("c", "a", -1, null, "1", sig)).hasMessageContaining("nonce");
        assertThatThrownBy(() -> new Transaction("c", "a", Transaction.MAX_NONCE + 1, null, "1", sig))
                .hasMessageContaining("nonce");
        assertThatThrownBy(() -> new Transaction("c", "a", 1, "sp ace", "1", sig)).hasMessageContaining("key");
        assertThatThrownBy(() -> new Transaction("c", "a", 1, null, "1", new byte[3])).hasMessageContaining("signature");
        assertThatThrownBy(() -> Transaction.fromJsonPayload("c", "a", 1, null, "{not json", sig))
                .isInstanceOf(LedgerException.class).hasMessageContaining("JSON");
    }

    @Test
    void payloadOver64KibInCanonicalFormIsTooLarge() {
        String big = "\"" + "x".repeat(Transaction.PAYLOAD_MAX_BYTES) + "\"";
        assertThatThrownBy(() -> Transaction.sign("c", "a", 1, null, big, KEY))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TOO_LARGE));
    }

    @Test
    void aChangedFieldInvalidatesTheSignature() {
        Transaction tx = Transaction.sign("c", "alice", 1, "k", "{\"amount\":10}", KEY);
        Transaction forged = new Transaction("c", "alice", 1, "k", "{\"amount\":1000}", tx.signature());
        assertThat(forged.verify(KEY.publicKey())).isFalse();
    }

    private static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[len];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
