package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionChecksTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Ed25519.PrivateKey CLIENT = Ed25519.PrivateKey.generate(RANDOM);
    private static final Membership MEMBERSHIP = new Membership("checks",
            List.of(new Membership.Replica(0, "http://a", Ed25519.PrivateKey.generate(RANDOM).publicKey()),
                    new Membership.Replica(1, "http://b", Ed25519.PrivateKey.generate(RANDOM).publicKey()),
                    new Membership.Replica(2, "http://c", Ed25519.PrivateKey.generate(RANDOM).publicKey()),
                    new Membership.Replica(3, "http://d", Ed25519.PrivateKey.generate(RANDOM).publicKey())),
            List.of(new Membership.Client("alice", CLIENT.publicKey(), EnumSet.of(Role.SUBMIT))));

    @Test
    void aKnownTransactionWithATamperedSignatureIsStillRefused() {
        TransactionChecks checks = new TransactionChecks(MEMBERSHIP, new VerifiedTransactions(100));
        Transaction good = Transaction.sign("checks", "alice", 1, null, "{\"a\":1}", CLIENT);
        checks.check(good, good.txId());

        // Same signed content, so the same txId, but a signature a Byzantine primary garbled: storing it
        // would put a transaction whose signature does not verify into a block.
        byte[] garbled = good.signature().clone();
        garbled[5] ^= 0x01;
        Transaction tampered = new Transaction(good.chainId(), good.clientId(), good.nonce(), good.key(), good.payload(),
                garbled);
        assertThat(tampered.txId()).isEqualTo(good.txId());
        assertThatThrownBy(() -> checks.check(tampered, tampered.txId()))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_SIGNATURE));

        checks.check(good, good.txId());
    }
}
