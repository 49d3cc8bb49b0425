package io.pbftledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Transaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A replica admits at most M (ledger.mempool.max-transactions) accepted, unexecuted transactions:
 * the next one is refused with 429 and Retry-After before anything is queued or stored for it, and
 * admission reopens once the backlog has executed. Every accepted transaction commits exactly once.
 */
class MempoolBackpressureTest {
    private static final int MEMPOOL_MAX = 5;

    @Test
    void theTransactionBeyondTheBoundIsRefusedBeforeAcceptanceAndAdmissionReopensOnceTheBacklogExecutes()
            throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(2, ClientAdmission::unlimited, MEMPOOL_MAX, false)) {
            InProcessCluster.Node backup = cluster.node(1);
            ReplicaService service = backup.service();
            List<Transaction> accepted = new ArrayList<>();
            for (int i = 0; i < MEMPOOL_MAX; i++) {
                Transaction t = cluster.tx(0, i, "{\"n\":" + i + "}");
                assertThat(service.submit(t).status()).isEqualTo(TxStatus.PENDING);
                accepted.add(t);
            }
            Transaction extra = cluster.tx(1, 0, "{\"extra\":true}");

            assertThatThrownBy(() -> service.submit(extra)).isInstanceOfSatisfying(RateLimitedException.class, e -> {
                assertThat(e.retryAfterSeconds()).isEqualTo(1);
                assertThat(e.getMessage()).startsWith("this replica holds its maximum of 5 accepted, not yet executed "
                        + "transactions (ledger.mempool.max-transactions)");
            });
            assertThat(service.pendingTransaction(extra.txId())).as("not in the mempool").isEmpty();
            assertThat(backup.driver().queuedEvents()).as("nothing handed to consensus for it").isEqualTo(MEMPOOL_MAX);
            assertThat(backup.store().latestHeader().height()).as("nothing stored").isZero();

            cluster.start();
            List<CompletableFuture<SubmitResult>> commits = new ArrayList<>();
            for (Transaction t : accepted) {
                commits.add(service.whenCommitted(t.txId()));
            }
            CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            assertThat(service.submit(extra).status()).as("admission reopened").isEqualTo(TxStatus.PENDING);
            assertThat(service.whenCommitted(extra.txId()).get(30, TimeUnit.SECONDS).status())
                    .isEqualTo(TxStatus.COMMITTED);
            InMemoryLedgerStore store = backup.store();
            List<Transaction> ordered = new ArrayList<>();
            for (long h = 1; h <= store.latestHeader().height(); h++) {
                ordered.addAll(store.blockByHeight(h).orElseThrow().transactions());
            }
            Set<Transaction> expected = new HashSet<>(accepted);
            expected.add(extra);
            assertThat(ordered).as("each accepted transaction exactly once").hasSize(expected.size())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /**
     * A full mempool refuses before the signature is checked: under overload most submissions are
     * refused, and checking each one's signature (and asking the database whether it ran) only to
     * refuse it cost a replica more CPU than ordering what it admitted. A forged submission therefore
     * hears 429 while the mempool is full and its real verdict once there is room; a resubmission of
     * a pending transaction still hears PENDING.
     */
    @Test
    void aFullMempoolRefusesBeforeCheckingTheSignature() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(2, ClientAdmission::unlimited, MEMPOOL_MAX, false)) {
            ReplicaService service = cluster.node(1).service();
            List<Transaction> accepted = new ArrayList<>();
            for (int i = 0; i < MEMPOOL_MAX; i++) {
                Transaction t = cluster.tx(0, i, "{\"n\":" + i + "}");
                service.submit(t);
                accepted.add(t);
            }
            Transaction genuine = cluster.tx(1, 0, "{\"forged\":false}");
            byte[] wrong = genuine.signature().clone();
            wrong[0] ^= 1;
            Transaction forged = new Transaction(genuine.chainId(), genuine.clientId(), genuine.nonce(), genuine.key(),
                    genuine.payload(), wrong);

            assertThatThrownBy(() -> service.submit(forged)).as("full: refused unchecked")
                    .isInstanceOf(RateLimitedException.class);
            assertThat(service.submit(accepted.get(0)).status()).as("a resubmission of a pending one")
                    .isEqualTo(TxStatus.PENDING);

            cluster.start();
            for (Transaction t : accepted) {
                service.whenCommitted(t.txId()).get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> service.submit(forged)).as("with room: checked and refused")
                    .isInstanceOfSatisfying(LedgerException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_SIGNATURE));
        }
    }
}
