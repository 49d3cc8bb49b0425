package io.pbftledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {

    @Test
    void signatureMatchesRfc8032TestVector1() {
        // RFC 8032 section 7.1, TEST 1 (empty message).
        HexFormat hex = HexFormat.of();
        Ed25519.PrivateKey key = Ed25519.PrivateKey.fromSeed(
                hex.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(hex.formatHex(key.publicKey().encoded()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(hex.formatHex(key.sign(new byte[0]))).isEqualTo(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void verifyAcceptsOnlyTheSignedMessageUnderTheSignersKey() {
        SecureRandom random = new SecureRandom();
        Ed25519.PrivateKey alice = Ed25519.PrivateKey.generate(random);
        Ed25519.PrivateKey bob = Ed25519.PrivateKey.generate(random);
        byte[] message = "transfer 10".getBytes(StandardCharsets.UTF_8);
        byte[] signature = alice.sign(message);

        assertThat(alice.publicKey().verify(message, signature)).isTrue();
        assertThat(bob.publicKey().verify(message, signature)).isFalse();
        assertThat(alice.publicKey().verify("transfer 11".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        signature[10] ^= 1;
        assertThat(alice.publicKey().verify(message, signature)).isFalse();
        assertThat(alice.publicKey().verify(message, new byte[12])).isFalse();
        assertThat(alice.publicKey().verify(message, null)).isFalse();
    }

    @Test
    void keysRoundTripThroughBase64AndRejectWrongLengths() {
        Ed25519.PrivateKey key = Ed25519.PrivateKey.generate(new SecureRandom());
        Ed25519.PrivateKey again = Ed25519.PrivateKey.fromBase64(key.toBase64());
        assertThat(again.publicKey()).isEqualTo(key.publicKey());
        assertThat(Ed25519.PublicKey.fromBase64(key.publicKey().toBase64())).isEqualTo(key.publicKey());

        assertThatThrownBy(() -> Ed25519.PublicKey.fromBase64("AAAA")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Ed25519.PrivateKey.fromBase64("not base64!")).hasMessageContaining("base64");
    }
}
