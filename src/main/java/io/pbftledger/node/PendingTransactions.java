package io.pbftledger.node;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Transactions submitted to this replica that have not committed yet, bounded by
 * {@code maxTransactions}, with the futures of clients waiting for them. It enforces exactly-once
 * at admission: one pending transaction per (clientId, nonce), and the per-client limits of
 * {@link ClientAdmission} (rate and pending count), so a flooding client cannot fill it. Thread-safe.
 *
 * <p>The bound is the replica's admission backpressure: a transaction is either refused here (429
 * with Retry-After, before anything is queued) or accepted and then kept by the consensus core
 * until it executes, since the primary's queue is sized for what all n mempools may hold. A slot is
 * freed when the transaction commits, or when another transaction with its (clientId, nonce)
 * commits (it can then never execute), or after the time-to-live.
 */
public final class PendingTransactions {
    /** Outcome of {@link #admit}. */
    public enum Admission { NEW, ALREADY_PENDING }

    private record Entry(String clientKey, Transaction transaction, Digest txId, CompletableFuture<SubmitResult> committed,
                         long admittedMillis, long admittedNanos) {
    }

    private static final long NOT_ADMITTED_HERE = Long.MIN_VALUE;
    /** Retry-After of a full mempool: about one batch's commit time, the soonest slots free up. */
    static final long FULL_RETRY_AFTER_SECONDS = 1;

    private final int maxTransactions;
    /** What is admitted now, at most maxTransactions; see {@link AdmissionBound}. */
    private final AdmissionBound bound;
    /** Told the submit-to-commit time of each transaction admitted here, in nanoseconds (metrics). */
    private final LongConsumer commitLatencyNanos;
    private final Map<String, Entry> byClientNonce = new HashMap<>();
    private final Map<Digest, Entry> byTxId = new HashMap<>();
    private final Map<Digest, CompletableFuture<SubmitResult>> outsideWaiters = new HashMap<>();
    /** When each outside waiter registered, oldest first, for expiry. */
    private final LinkedHashMap<Digest, Long> outsideSince = new LinkedHashMap<>();
    private final LongSupplier clockMillis;
    private final long ttlMillis;
    private final ClientAdmission admission;
    /** Pending transactions per client, for the per-client quota; clients with none are absent. */
    private final Map<String, Integer> pendingPerClient = new HashMap<>();

    /** Pending entries and waiters are forgotten after ten minutes (a transaction the cluster never ordered). */
    public static final long DEFAULT_TTL_MILLIS = 600_000;

    public PendingTransactions(int maxTransactions) {
        this(maxTransactions, System::currentTimeMillis, DEFAULT_TTL_MILLIS);
    }

    /**
     * @param ttlMillis how long a transaction may stay pending (and a client wait for it) before the
     *                  slot is freed; it may still commit later, it just no longer holds mempool space
     */
    public PendingTransactions(int maxTransactions, LongSupplier clockMillis, long ttlMillis) {
        this(maxTransactions, clockMillis, ttlMillis, nanos -> { });
    }

    /** With the default clock and time-to-live, telling {@code commitLatencyNanos} each submit-to-commit time. */
    public PendingTransactions(int maxTransactions, LongConsumer commitLatencyNanos) {
        this(maxTransactions, System::currentTimeMillis, DEFAULT_TTL_MILLIS, commitLatencyNanos);
    }

    public PendingTransactions(int maxTransactions, LongSupplier clockMillis, long ttlMillis,
                               LongConsumer commitLatencyNanos) {
        this(maxTransactions, clockMillis, ttlMillis, commitLatencyNanos, ClientAdmission.unlimited());
    }

    /** With the default clock and time-to-live and per-client {@code admission} limits. */
    public PendingTransactions(int maxTransactions, LongConsumer commitLatencyNanos, ClientAdmission admission) {
        this(maxTransactions, System::currentTimeMillis, DEFAULT_TTL_MILLIS, commitLatencyNanos, admission);
    }

    public PendingTransactions(int maxTransactions, LongSupplier clockMillis, long ttlMillis,
                               LongConsumer commitLatencyNanos, ClientAdmission admission) {
        this(AdmissionBound.fixed(maxTransactions), clockMillis, ttlMillis, commitLatencyNanos, admission);
    }

    /** With a bound that adapts to the rate the cluster executes at (see {@link AdmissionBound}). */
    public PendingTransactions(AdmissionBound bound, LongConsumer commitLatencyNanos, ClientAdmission admission) {
        this(bound, System::currentTimeMillis, DEFAULT_TTL_MILLIS, commitLatencyNanos, admission);
    }

    private PendingTransactions(AdmissionBound bound, LongSupplier clockMillis, long ttlMillis,
                                LongConsumer commitLatencyNanos, ClientAdmission admission) {
        int maxTransactions = bound.max();
        this.bound = bound;
        this.admission = Objects.requireNonNull(admission, "admission");
        this.commitLatencyNanos = commitLatencyNanos;
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttlMillis must be positive");
        }
        this.clockMillis = clockMillis;
        this.ttlMillis = ttlMillis;
        if (maxTransactions <= 0) {
            throw new IllegalArgumentException("maxTransactions must be positive");
        }
        this.maxTransactions = maxTransactions;
    }

    /**
     * Records a validated transaction as pending. Throws CONFLICT when a different transaction is
     * pending with the same (clientId, nonce), OVERLOADED when the mempool is full, and a
     * {@link RateLimitedException} when the client is over its rate or pending quota. Only a new
     * admission counts against the client's limits.
     */
    public synchronized Admission admit(Transaction tx, Digest txId) {
        String clientId = tx.clientId();
        long nonce = tx.nonce();
        String clientKey = clientKey(clientId, nonce);
        Entry existing = byClientNonce.get(clientKey);
        if (existing != null) {
            if (existing.txId().equals(txId)) {
                return Admission.ALREADY_PENDING;
            }
            throw conflict(clientId, nonce, existing.txId());
        }
        int admitted = bound.current();
        if (byTxId.size() >= admitted) {
            throw full(admitted);
        }
        admission.admit(clientId, pendingPerClient.getOrDefault(clientId, 0));
        pendingPerClient.merge(clientId, 1, Integer::sum);
        Entry entry = new Entry(clientKey, tx, txId, new CompletableFuture<>(), clockMillis.getAsLong(),
                System.nanoTime());
        byClientNonce.put(clientKey, entry);
        byTxId.put(txId, entry);
        return Admission.NEW;
    }

    /**
     * Refuses at once, before anything costly, a submission that {@link #admit} would refuse because
     * the mempool is full; a transaction pending here (or conflicting with one) is left to
     * {@link #admit}. Under overload most submissions are refused: checking each one's signature and
     * asking the database whether it ran, only to refuse it, cost a replica more CPU than ordering
     * what it admitted. Nothing is consumed here (no client's rate tokens), so a forged submission
     * cannot spend another client's allowance.
     */
    public synchronized void refuseIfFull(Transaction tx) {
        if (byClientNonce.containsKey(clientKey(tx.clientId(), tx.nonce()))) {
            return;
        }
        int admitted = bound.current();
        if (byTxId.size() >= admitted) {
            throw full(admitted);
        }
    }

    private RateLimitedException full(int admitted) {
        return new RateLimitedException(RateLimitedException.Scope.MEMPOOL, admitted == maxTransactions
                ? "this replica holds its maximum of " + maxTransactions
                        + " accepted, not yet executed transactions (ledger.mempool.max-transactions); retry in "
                        + FULL_RETRY_AFTER_SECONDS + " s, or at another replica"
                : "this replica holds " + admitted + " accepted, not yet executed transactions: what the cluster "
                        + "executes in half a view-change timeout at its measured " + bound.ratePerSecond()
                        + " tx/s, shared among the replicas (at most ledger.mempool.max-transactions = "
                        + maxTransactions + "); retry in " + FULL_RETRY_AFTER_SECONDS + " s, or at another replica",
                FULL_RETRY_AFTER_SECONDS);
    }

    /** Forgets a pending transaction that could not be handed to consensus. */
    public synchronized void abandon(Digest txId) {
        Entry entry = byTxId.remove(txId);
        if (entry != null) {
            forget(entry);
        }
    }

    /** A future completed when {@code txId} commits here, or null when it is not pending here. */
    public synchronized CompletableFuture<SubmitResult> futureOf(Digest txId) {
        Entry entry = byTxId.get(txId);
        return entry == null ? null : entry.committed();
    }

    /** The pending transaction with this id, if it is pending here. */
    public synchronized Optional<Transaction> transactionOf(Digest txId) {
        Entry entry = byTxId.get(txId);
        return entry == null ? Optional.empty() : Optional.of(entry.transaction());
    }

    /** A future for a transaction that was not submitted here but may commit later. */
    public synchronized CompletableFuture<SubmitResult> waitOutside(Digest txId) {
        Entry entry = byTxId.get(txId);
        if (entry != null) {
            return entry.committed();
        }
        if (outsideWaiters.size() >= maxTransactions) {
            throw new LedgerException(ErrorKind.OVERLOADED, "too many clients are waiting for commits; retry later");
        }
        outsideSince.putIfAbsent(txId, clockMillis.getAsLong());
        return outsideWaiters.computeIfAbsent(txId, id -> new CompletableFuture<>());
    }

    /**
     * Called once a transaction is stored in a block: completes its waiters and frees its slot. A
     * different transaction pending here with the same (clientId, nonce) can never execute now (the
     * nonce is used): its slot is freed too, and its waiters time out.
     */
    public void committed(TransactionRecord record) {
        bound.executed(1);
        CompletableFuture<SubmitResult> future;
        CompletableFuture<SubmitResult> outside;
        long admittedNanos;
        synchronized (this) {
            Entry entry = byTxId.remove(record.txId());
            if (entry != null) {
                forget(entry);
            }
            Transaction tx = record.transaction();
            Entry sameNonce = byClientNonce.get(clientKey(tx.clientId(), tx.nonce()));
            if (sameNonce != null && !sameNonce.txId().equals(record.txId())) {
                byTxId.remove(sameNonce.txId());
                forget(sameNonce);
            }
            future = entry == null ? null : entry.committed();
            admittedNanos = entry == null ? NOT_ADMITTED_HERE : entry.admittedNanos();
            outside = outsideWaiters.remove(record.txId());
            outsideSince.remove(record.txId());
        }
        SubmitResult result = SubmitResult.committed(record);
        if (admittedNanos != NOT_ADMITTED_HERE) {
            commitLatencyNanos.accept(System.nanoTime() - admittedNanos);
        }
        if (future != null) {
            future.complete(result);
        }
        if (outside != null) {
            outside.complete(result);
        }
    }

    /**
     * Frees the slots of transactions pending for longer than the TTL and drops waiters registered
     * longer ago; their clients' own timeouts answer them (202 PENDING). Returns how many were freed.
     */
    public synchronized int expire() {
        long cutoff = clockMillis.getAsLong() - ttlMillis;
        int freed = 0;
        Iterator<Entry> entries = byTxId.values().iterator();
        while (entries.hasNext()) {
            Entry e = entries.next();
            if (e.admittedMillis() < cutoff) {
                entries.remove();
                forget(e);
                freed++;
            }
        }
        Iterator<Map.Entry<Digest, Long>> waiters = outsideSince.entrySet().iterator();
        while (waiters.hasNext()) {
            Map.Entry<Digest, Long> w = waiters.next();
            if (w.getValue() >= cutoff) {
                break;
            }
            outsideWaiters.remove(w.getKey());
            waiters.remove();
        }
        return freed;
    }

    public synchronized int size() {
        return byTxId.size();
    }

    /** Transactions of {@code clientId} pending here. */
    public synchronized int pendingOf(String clientId) {
        return pendingPerClient.getOrDefault(clientId, 0);
    }

    /** The rest of removing an entry already taken out of byTxId. */
    private void forget(Entry entry) {
        byClientNonce.remove(entry.clientKey());
        String clientId = entry.transaction().clientId();
        pendingPerClient.computeIfPresent(clientId, (id, n) -> n > 1 ? n - 1 : null);
    }

    static LedgerException conflict(String clientId, long nonce, Digest other) {
        return new LedgerException(ErrorKind.CONFLICT, "client '" + clientId + "' already used nonce " + nonce
                + " for a different transaction (" + other.hex() + ")");
    }

    private static String clientKey(String clientId, long nonce) {
        return clientId + '\u0000' + nonce;
    }
}
