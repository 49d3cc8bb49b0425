package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingTransactionsTest {
    private static final Ed25519.PrivateKey KEY = Ed25519.PrivateKey.generate(new SecureRandom());
    private final long[] now = {1_000};
    private final PendingTransactions pending = new PendingTransactions(2, () -> now[0], 60_000);

    private static Transaction tx(long nonce, String payload) {
        return Transaction.sign("c", "alice", nonce, null, payload, KEY);
    }

    @Test
    void oneTransactionPerClientNonceAndAFullMempoolIsOverloaded() {
        Transaction a = tx(1, "1");
        assertThat(pending.admit(a, a.txId())).isEqualTo(PendingTransactions.Admission.NEW);
        assertThat(pending.admit(a, a.txId())).isEqualTo(PendingTransactions.Admission.ALREADY_PENDING);
        Transaction conflicting = tx(1, "2");
        assertThatThrownBy(() -> pending.admit(conflicting, conflicting.txId()))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        Transaction b = tx(2, "1");
        pending.admit(b, b.txId());
        Transaction c = tx(3, "1");
        assertThatThrownBy(() -> pending.admit(c, c.txId()))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED));
    }

    @Test
    void aCommitCompletesTheSubmittersAndOutsideWaitersAndFreesTheSlot() {
        Transaction a = tx(1, "1");
        pending.admit(a, a.txId());
        CompletableFuture<SubmitResult> mine = pending.futureOf(a.txId());
        CompletableFuture<SubmitResult> other = pending.waitOutside(tx(9, "9").txId());
        pending.committed(new TransactionRecord(a, a.txId(), 7, Digest.sha256(new byte[] {7}), 0));
        assertThat(mine).isCompletedWithValueMatching(r -> r.blockHeight() == 7);
        assertThat(other).isNotDone();
        assertThat(pending.size()).isZero();
    }

    @Test
    void staleEntriesAndWaitersExpireAfterTheTtlSoTheMempoolCannotFillWithTheNeverOrdered() {
        Transaction old = tx(1, "1");
        pending.admit(old, old.txId());
        Digest waitedFor = tx(5, "5").txId();
        CompletableFuture<SubmitResult> firstWait = pending.waitOutside(waitedFor);
        now[0] += 30_000;
        Transaction fresh = tx(2, "1");
        pending.admit(fresh, fresh.txId());

        assertThat(pending.expire()).isZero();
        assertThat(pending.waitOutside(waitedFor)).isSameAs(firstWait);
        now[0] += 31_000;
        assertThat(pending.expire()).isEqualTo(1);
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.transactionOf(old.txId())).isEmpty();
        assertThat(pending.transactionOf(fresh.txId())).contains(fresh);
        // The stale waiter was dropped: a new wait gets a new future.
        assertThat(pending.waitOutside(waitedFor)).isNotSameAs(firstWait);
    }
}
