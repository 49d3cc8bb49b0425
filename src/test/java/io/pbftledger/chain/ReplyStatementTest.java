package io.pbftledger.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The canonical bytes replicas sign in their replies, byte for byte as documented. */
class ReplyStatementTest {
    private static final String DOMAIN_HEX = "50424654" + "2d4c4544474552" + "2d5245504c59" + "2f7631"; // PBFT-LEDGER-REPLY/v1
    private static final Digest BLOCK_HASH = filled(0x11);
    private static final Digest TX_ID = filled(0xab);

    private static Digest filled(int b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) b);
        return new Digest(bytes);
    }

    private static String hexOf(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    private static Ed25519.PrivateKey replicaKey() {
        return Ed25519.PrivateKey.fromSeed(filled(0x07).bytes());
    }

    @Test
    void aTransactionStatementIsDomainKindChainTxIdHeightAndBlockHash() {
        ReplyStatement statement = ReplyStatement.transaction("c1", TX_ID, 258, BLOCK_HASH);

        String expected = DOMAIN_HEX
                + "01"                                  // kind 1: transaction
                + "0002" + "6331"                       // chainId "c1"
                + "0040" + hexOf("ab".repeat(32))       // subject: the txId as 64 lowercase hex characters
                + "0000000000000102"                    // height 258
                + "11".repeat(32);                      // block hash
        assertThat(HexFormat.of().formatHex(statement.signingBytes())).isEqualTo(expected);
    }

    @Test
    void aStateStatementAlsoBindsTheValueHashAndTheWriter() throws Exception {
        ReplyStatement statement = ReplyStatement.state("c1", "k:1", 7, BLOCK_HASH, "{\"a\":1}", TX_ID);

        String valueHash = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        String expected = DOMAIN_HEX
                + "02"                                  // kind 2: state key
                + "0002" + "6331"                       // chainId "c1"
                + "0003" + "6b3a31"                     // subject: the key "k:1"
                + "0000000000000007"                    // the height answered at
                + "11".repeat(32)                       // that block's hash
                + valueHash                             // SHA-256 of the canonical value
                + "ab".repeat(32);                      // the writer's txId
        assertThat(HexFormat.of().formatHex(statement.signingBytes())).isEqualTo(expected);
        assertThat(statement.valueHash().hex()).isEqualTo(valueHash);
    }

    @Test
    void aSignatureVerifiesWithTheReplicaKeyAndWithNothingElse() {
        ReplyStatement statement = ReplyStatement.transaction("c1", TX_ID, 3, BLOCK_HASH);
        byte[] signature = statement.sign(replicaKey());

        assertThat(statement.verify(replicaKey().publicKey(), signature)).isTrue();
        Ed25519.PublicKey otherReplica = Ed25519.PrivateKey.fromSeed(filled(0x08).bytes()).publicKey();
        assertThat(statement.verify(otherReplica, signature)).isFalse();
        assertThat(statement.verify(replicaKey().publicKey(), Arrays.copyOf(signature, 63))).isFalse();
        assertThat(statement.verify(replicaKey().publicKey(), null)).isFalse();
    }

    @Test
    void changingAnySignedFieldBreaksTheSignature() {
        Ed25519.PublicKey key = replicaKey().publicKey();
        ReplyStatement state = ReplyStatement.state("c1", "k", 9, BLOCK_HASH, "1", TX_ID);
        byte[] signature = state.sign(replicaKey());

        assertThat(ReplyStatement.state("c2", "k", 9, BLOCK_HASH, "1", TX_ID).verify(key, signature)).isFalse();
        assertThat(ReplyStatement.state("c1", "j", 9, BLOCK_HASH, "1", TX_ID).verify(key, signature)).isFalse();
        assertThat(ReplyStatement.state("c1", "k", 10, BLOCK_HASH, "1", TX_ID).verify(key, signature)).isFalse();
        assertThat(ReplyStatement.state("c1", "k", 9, filled(0x12), "1", TX_ID).verify(key, signature)).isFalse();
        assertThat(ReplyStatement.state("c1", "k", 9, BLOCK_HASH, "2", TX_ID).verify(key, signature)).isFalse();
        assertThat(ReplyStatement.state("c1", "k", 9, BLOCK_HASH, "1", filled(0xac)).verify(key, signature)).isFalse();
        assertThat(ReplyStatement.state("c1", "k", 9, BLOCK_HASH, "1", TX_ID).verify(key, signature)).isTrue();
    }

    @Test
    void aTransactionStatementNeverVerifiesAsAStateStatementOfTheSameSubject() {
        // The kind byte separates them even when the subject text is the same.
        String subject = TX_ID.hex();
        byte[] signature = ReplyStatement.transaction("c1", TX_ID, 4, BLOCK_HASH).sign(replicaKey());
        ReplyStatement asState = ReplyStatement.state("c1", subject.substring(0, 64), 4, BLOCK_HASH, "1", TX_ID);

        assertThat(asState.verify(replicaKey().publicKey(), signature)).isFalse();
    }

    @Test
    void aRefusedTransactionStatementIsKindThreeFollowedByTheRefusalKindAndReason() {
        ReplyStatement statement = ReplyStatement.refusedTransaction("c1", TX_ID, 258, BLOCK_HASH, "FORBIDDEN",
                "client 'bob' is not a member of this ledger");

        String expected = DOMAIN_HEX
                + "03"                                  // kind 3: transaction refused at execution
                + "0002" + "6331"                       // chainId "c1"
                + "0040" + hexOf("ab".repeat(32))       // subject: the txId as 64 lowercase hex characters
                + "0000000000000102"                    // height 258
                + "11".repeat(32)                       // block hash
                + "0009" + hexOf("FORBIDDEN")           // the refusal's kind
                + "002b" + hexOf("client 'bob' is not a member of this ledger"); // and its reason (43 bytes)
        assertThat(HexFormat.of().formatHex(statement.signingBytes())).isEqualTo(expected);
    }

    @Test
    void aSignedRefusalNeverVerifiesAsAnExecutedTransactionAtTheSameLocation() {
        Ed25519.PublicKey key = replicaKey().publicKey();
        byte[] refusal = ReplyStatement.refusedTransaction("c1", TX_ID, 4, BLOCK_HASH, "INVALID", "bad op")
                .sign(replicaKey());
        byte[] executed = ReplyStatement.transaction("c1", TX_ID, 4, BLOCK_HASH).sign(replicaKey());

        assertThat(ReplyStatement.transaction("c1", TX_ID, 4, BLOCK_HASH).verify(key, refusal)).isFalse();
        assertThat(ReplyStatement.refusedTransaction("c1", TX_ID, 4, BLOCK_HASH, "INVALID", "bad op")
                .verify(key, executed)).isFalse();
        assertThat(ReplyStatement.refusedTransaction("c1", TX_ID, 4, BLOCK_HASH, "INVALID", "bad op")
                .verify(key, refusal)).isTrue();
    }

    @Test
    void aRefusalSignatureBindsItsKindAndReason() {
        Ed25519.PublicKey key = replicaKey().publicKey();
        byte[] signature = ReplyStatement.refusedTransaction("c1", TX_ID, 4, BLOCK_HASH, "INVALID", "bad op")
                .sign(replicaKey());

        assertThat(ReplyStatement.refusedTransaction("c1", TX_ID, 4, BLOCK_HASH, "FORBIDDEN", "bad op")
                .verify(key, signature)).isFalse();
        assertThat(ReplyStatement.refusedTransaction("c1", TX_ID, 4, BLOCK_HASH, "INVALID", "bad op!")
                .verify(key, signature)).isFalse();
        assertThat(ReplyStatement.refusedTransaction("c1", TX_ID, 5, BLOCK_HASH, "INVALID", "bad op")
                .verify(key, signature)).isFalse();
    }

    @Test
    void onlyRefusedTransactionStatementsCarryARefusal() {
        ReplyStatement.Refused refused = new ReplyStatement.Refused("INVALID", "x");
        assertThatThrownBy(() -> new ReplyStatement(ReplyStatement.Kind.TRANSACTION, "c1", "x", 1, BLOCK_HASH,
                null, null, refused)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplyStatement(ReplyStatement.Kind.REFUSED_TRANSACTION, "c1", "x", 1, BLOCK_HASH,
                null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statementsRefuseNegativeHeightsAndMisplacedStateFields() {
        assertThatThrownBy(() -> ReplyStatement.transaction("c1", TX_ID, -1, BLOCK_HASH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplyStatement(ReplyStatement.Kind.TRANSACTION, "c1", "x", 1, BLOCK_HASH,
                TX_ID, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplyStatement(ReplyStatement.Kind.STATE, "c1", "x", 1, BLOCK_HASH,
                null, TX_ID)).isInstanceOf(IllegalArgumentException.class);
    }
}
