package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Per-client limits at admission to the mempool: a token bucket and a pending quota. */
class ClientAdmissionTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Ed25519.PrivateKey KEY = Ed25519.PrivateKey.generate(new SecureRandom());
    private final long[] nanos = {SECOND};

    private PendingTransactions mempool(long perSecond, long burst, int pendingMaxPerClient) {
        ClientAdmission admission = ClientAdmission.of(new TokenBuckets.Limit(perSecond, burst), pendingMaxPerClient,
                () -> nanos[0]);
        return new PendingTransactions(1_000, () -> 0L, 60_000, n -> { }, admission);
    }

    private static Transaction tx(String client, long nonce) {
        return Transaction.sign("c", client, nonce, null, "1", KEY);
    }

    private static void admit(PendingTransactions pending, Transaction tx) {
        pending.admit(tx, tx.txId());
    }

    @Test
    void aClientOverItsRateIsRefusedWithWhenToRetryWhileOthersStillGetIn() {
        PendingTransactions pending = mempool(2, 2, 100);
        admit(pending, tx("alice", 1));
        admit(pending, tx("alice", 2));
        Transaction third = tx("alice", 3);
        assertThatThrownBy(() -> admit(pending, third))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
                    assertThat(e.scope()).isEqualTo(RateLimitedException.Scope.CLIENT);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.getMessage()).isEqualTo("client 'alice' is over its rate limit of 2 transactions per"
                            + " second (burst 2); retry in 1 s");
                });
        admit(pending, tx("bob", 1));
        assertThat(pending.size()).as("nothing of the refused one is stored").isEqualTo(3);

        nanos[0] += SECOND / 2;
        admit(pending, third);
        assertThat(pending.transactionOf(third.txId())).isPresent();
    }

    @Test
    void resubmittingOrReplayingAPendingTransactionCostsItsClientNothing() {
        PendingTransactions pending = mempool(1, 1, 100);
        Transaction t = tx("alice", 1);
        admit(pending, t);
        for (int i = 0; i < 50; i++) {
            assertThat(pending.admit(t, t.txId())).isEqualTo(PendingTransactions.Admission.ALREADY_PENDING);
        }
        nanos[0] += SECOND;
        admit(pending, tx("alice", 2));
    }

    @Test
    void aClientMayHoldOnlyItsQuotaOfPendingTransactionsUntilSomeCommit() {
        PendingTransactions pending = mempool(0, 0, 2);
        Transaction first = tx("alice", 1);
        admit(pending, first);
        admit(pending, tx("alice", 2));
        assertThatThrownBy(() -> admit(pending, tx("alice", 3)))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("client 'alice' has its maximum of 2 transactions pending at this replica;"
                                + " retry once some have committed"));
        admit(pending, tx("bob", 1));
        assertThat(pending.pendingOf("alice")).isEqualTo(2);

        pending.committed(new TransactionRecord(first, first.txId(), 1, Digest.sha256(new byte[] {1}), 0));
        assertThat(pending.pendingOf("alice")).isEqualTo(1);
        admit(pending, tx("alice", 3));
    }

    @Test
    void abandonedAndExpiredTransactionsFreeTheirClientsQuota() {
        long[] millis = {0};
        PendingTransactions pending = new PendingTransactions(100, () -> millis[0], 1_000, n -> { },
                ClientAdmission.of(TokenBuckets.Limit.UNLIMITED, 1, () -> nanos[0]));
        Transaction a = tx("alice", 1);
        admit(pending, a);
        pending.abandon(a.txId());
        admit(pending, tx("alice", 2));
        millis[0] = 5_000;
        assertThat(pending.expire()).isEqualTo(1);
        assertThat(pending.pendingOf("alice")).isZero();
        admit(pending, tx("alice", 3));
    }
}
