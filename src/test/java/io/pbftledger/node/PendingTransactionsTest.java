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

    @Test
    void theTransactionBeyondTheBoundIsRefusedWithRetryAfterAndLeavesNoTrace() {
        Transaction a = tx(1, "1");
        Transaction b = tx(2, "1");
        pending.admit(a, a.txId());
        pending.admit(b, b.txId());
        Transaction third = Transaction.sign("c", "bob", 1, null, "1", KEY);

        assertThatThrownBy(() -> pending.admit(third, third.txId()))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
                    assertThat(e.scope()).isEqualTo(RateLimitedException.Scope.MEMPOOL);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.getMessage()).isEqualTo("this replica holds its maximum of 2 accepted, not yet "
                            + "executed transactions (ledger.mempool.max-transactions); retry in 1 s, or at another replica");
                });
        assertThat(pending.size()).isEqualTo(2);
        assertThat(pending.transactionOf(third.txId())).isEmpty();
        assertThat(pending.futureOf(third.txId())).isNull();
        assertThat(pending.pendingOf("bob")).isZero();
    }

    @Test
    void admissionReopensOnceAnAcceptedTransactionCommits() {
        Transaction a = tx(1, "1");
        Transaction b = tx(2, "1");
        Transaction c = tx(3, "1");
        pending.admit(a, a.txId());
        pending.admit(b, b.txId());
        assertThatThrownBy(() -> pending.admit(c, c.txId())).isInstanceOf(RateLimitedException.class);

        pending.committed(new TransactionRecord(a, a.txId(), 1, Digest.sha256(new byte[] {1}), 0));

        assertThat(pending.admit(c, c.txId())).isEqualTo(PendingTransactions.Admission.NEW);
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void aTransactionWhoseNonceAnotherTransactionUsedInABlockGivesUpItsSlot() {
        Transaction mine = tx(1, "\"mine\"");
        pending.admit(mine, mine.txId());
        Transaction winner = tx(1, "\"submitted elsewhere\"");

        pending.committed(new TransactionRecord(winner, winner.txId(), 3, Digest.sha256(new byte[] {3}), 0));

        assertThat(pending.size()).as("it can never execute, so it must not hold a slot").isZero();
        assertThat(pending.pendingOf("alice")).isZero();
        assertThat(pending.transactionOf(mine.txId())).isEmpty();
    }
}
