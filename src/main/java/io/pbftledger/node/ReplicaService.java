package io.pbftledger.node;

import io.pbftledger.chain.ReplicaRoster;

import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.core.ReplicaStatus;
import io.pbftledger.pbft.message.Digest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replica as the REST API sees it. Client-side checks (chain, membership, signature) run on
 * the caller's thread, never on the consensus thread; exactly-once is enforced against the stored
 * chain and the pending set before anything is queued.
 */
public final class ReplicaService implements LedgerService {
    private final Membership membership;
    private final TransactionChecks checks;
    private final PendingTransactions pending;
    private final BlockStore store;
    private final LedgerQueries queries;
    private final ReplicaDriver driver;
    private final PeerOutbox outbox;
    private final DropCounters drops;
    /** Fault injection 'wrong-replies': this replica lies to clients about where transactions committed. */
    private final boolean reportWrongResults;
    private final AtomicLong lastExpiry = new AtomicLong();
    private final ChainAuditor auditor;

    public ReplicaService(Membership membership, TransactionChecks checks, PendingTransactions pending,
                          BlockStore store, LedgerQueries queries, ReplicaDriver driver, PeerOutbox outbox,
                          DropCounters drops, boolean reportWrongResults) {
        this(membership, ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL, checks, pending, store, queries, driver, outbox,
                drops, reportWrongResults);
    }

    /** @param checkpointInterval where replica-set changes take effect, for the chain audit */
    public ReplicaService(Membership membership, long checkpointInterval, TransactionChecks checks,
                          PendingTransactions pending, BlockStore store, LedgerQueries queries, ReplicaDriver driver,
                          PeerOutbox outbox, DropCounters drops, boolean reportWrongResults) {
        this.membership = membership;
        this.checks = checks;
        this.pending = pending;
        this.store = store;
        this.queries = queries;
        this.driver = driver;
        this.outbox = outbox;
        this.drops = drops;
        this.reportWrongResults = reportWrongResults;
        this.auditor = new ChainAuditor(membership, checkpointInterval, queries, store);
    }

    @Override
    public SubmitResult submit(Transaction tx) {
        return reply(admit(tx));
    }

    private SubmitResult admit(Transaction tx) {
        expireStalePending();
        pending.refuseIfFull(tx);
        Digest txId = tx.txId();
        checks.check(tx, txId);
        Optional<SubmitResult> done = committedAs(tx, txId);
        if (done.isPresent()) {
            return done.get();
        }
        if (pending.admit(tx, txId) == PendingTransactions.Admission.ALREADY_PENDING) {
            return SubmitResult.pending(txId);
        }
        // It may have committed (submitted through another replica) since the first look.
        Optional<TransactionRecord> raced = store.findByClientNonce(tx.clientId(), tx.nonce());
        if (raced.isPresent()) {
            pending.committed(raced.get());
            return committedAs(tx, txId).orElseThrow();
        }
        if (driver.failure() != null) {
            pending.abandon(txId);
            throw new LedgerException(ErrorKind.UNAVAILABLE, "the consensus thread of this replica has stopped");
        }
        if (!driver.submit(tx.toRequest())) {
            pending.abandon(txId);
            throw new LedgerException(ErrorKind.OVERLOADED, "the replica's consensus queue is full; retry later");
        }
        return SubmitResult.pending(txId);
    }

    private Optional<SubmitResult> committedAs(Transaction tx, Digest txId) {
        Optional<TransactionRecord> existing = store.findByClientNonce(tx.clientId(), tx.nonce());
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (!existing.get().txId().equals(txId)) {
            throw PendingTransactions.conflict(tx.clientId(), tx.nonce(), existing.get().txId());
        }
        return Optional.of(SubmitResult.committed(existing.get()));
    }

    @Override
    public CompletableFuture<SubmitResult> whenCommitted(Digest txId) {
        Optional<TransactionRecord> done = queries.transaction(txId);
        if (done.isPresent()) {
            return CompletableFuture.completedFuture(reply(SubmitResult.committed(done.get())));
        }
        CompletableFuture<SubmitResult> future = pending.waitOutside(txId);
        // It may have committed between the first look and the registration.
        queries.transaction(txId).ifPresent(pending::committed);
        return reportWrongResults ? future.thenApply(this::reply) : future;
    }

    /** Frees mempool slots of transactions the cluster never ordered; at most once a second. */
    private void expireStalePending() {
        long now = System.currentTimeMillis();
        long last = lastExpiry.get();
        if (now - last >= 1_000 && lastExpiry.compareAndSet(last, now)) {
            pending.expire();
        }
    }

    /** The answer as given to the client: the truth, unless this replica is configured to lie. */
    private SubmitResult reply(SubmitResult truth) {
        if (!reportWrongResults || truth.status() != TxStatus.COMMITTED) {
            return truth;
        }
        byte[] wrong = truth.blockHash().bytes();
        wrong[0] ^= 0x5a;
        return new SubmitResult(truth.txId(), truth.status(), truth.blockHeight() + 1, new Digest(wrong), truth.index());
    }

    @Override
    public Optional<Transaction> pendingTransaction(Digest txId) {
        return pending.transactionOf(txId);
    }

    @Override
    public ConsensusInfo consensus() {
        ReplicaStatus s = driver.status();
        return new ConsensusInfo(s.replicaId(), s.n(), s.f(), s.view(), s.primary(), s.status().name(),
                s.lastExecutedSequence(), store.latestHeader().height(), s.lowWatermark(), s.highWatermark(),
                pending.size(), outbox.peers(), droppedMessages(), s.stableCheckpoint(), s.viewChangeTarget(),
                s.missingForQuorum());
    }

    /** Peer messages dropped before the core (authentication, size) and by the core (protocol rules). */
    private Map<String, Long> droppedMessages() {
        Map<String, Long> all = new TreeMap<>(drops.snapshot());
        driver.coreDrops().forEach((reason, n) -> all.merge(reason.name().toLowerCase(Locale.ROOT), n, Long::sum));
        return all;
    }

    @Override
    public ChainCheck verifyChain() {
        return auditor.verify();
    }

    public Membership membership() {
        return membership;
    }
}
