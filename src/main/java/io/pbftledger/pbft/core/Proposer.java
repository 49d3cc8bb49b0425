package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.List;

/**
 * The primary's request queue and batch cutting. A batch is cut when the queue holds
 * batchMaxTransactions requests or batchMaxBytes, or batchMaxDelayMs after the first waiting
 * request; never beyond the high watermark (requests wait for the window). It is empty only to fill
 * the sequences up to a pending replica-set change's boundary when nothing else is queued.
 * Requests are taken round-robin across clients ({@link FairQueue}), so one client's flood cannot
 * push another client's request back by more than one request per waiting client and batch.
 * Requests held here are always queued; forwarded ones within proposalQueueMaxRequests.
 */
final class Proposer {
    private final ReplicaConfig config;
    private final FairQueue queue;
    private long firstWaitingSinceMs = -1;
    private long nextSequence;
    private long lastTimestamp;

    Proposer(ReplicaConfig config, long lastExecutedSequence, long lastExecutedTimestamp) {
        this.config = config;
        this.queue = new FairQueue(config.proposalQueueMaxRequests());
        this.nextSequence = lastExecutedSequence + 1;
        this.lastTimestamp = lastExecutedTimestamp;
    }

    boolean isQueued(RequestKey key) {
        return queue.contains(key);
    }

    /**
     * Queues a request held here (accepted by this replica's mempool, or relayed to it before it led):
     * always, since nobody else may remember it.
     */
    void enqueue(RequestKey key, ClientRequest request, long now) {
        startWaiting(now);
        queue.addHeld(key, request);
    }

    /**
     * Queues a request replica {@code source} forwarded. Beyond proposalQueueMaxRequests forwarded ones
     * it is refused or displaces the newest request of the replica forwarding the most
     * ({@link FairQueue#addForwarded}); either way one forwarded request is dropped here, and its
     * sender still holds it.
     */
    FairQueue.Added enqueueForwarded(RequestKey key, ClientRequest request, int source, long now) {
        boolean wasEmpty = queue.isEmpty();
        FairQueue.Added added = queue.addForwarded(key, request, source);
        if (wasEmpty && added != FairQueue.Added.REFUSED) {
            firstWaitingSinceMs = now;
        }
        return added;
    }

    private void startWaiting(long now) {
        if (queue.isEmpty()) {
            firstWaitingSinceMs = now;
        }
    }

    int queued() {
        return queue.size();
    }

    long nextSequence() {
        return nextSequence;
    }

    /** Sequences at or below h are settled; never propose there. */
    void skipTo(long low) {
        nextSequence = Math.max(nextSequence, low + 1);
    }

    /**
     * A new view where this replica is primary: fresh sequences start after O (and after anything it
     * delivered), and timestamps never go below those of O or of what it delivered.
     */
    void startView(long next, long timestampFloor) {
        // Not max(nextSequence, next): what this replica proposed in an earlier view above max-s never
        // prepared, and skipping those sequences would leave gaps that nothing ever fills.
        nextSequence = next;
        lastTimestamp = Math.max(lastTimestamp, timestampFloor);
    }

    /** Restores what this replica proposed before a restart: never the same sequence twice. */
    void restoreProposed(long sequence, long timestamp) {
        nextSequence = Math.max(nextSequence, sequence + 1);
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

    /** Hands back the queued requests when this replica stops being primary. */
    List<ClientRequest> drainQueue() {
        List<ClientRequest> out = queue.drain();
        firstWaitingSinceMs = -1;
        return out;
    }

    /**
     * A full batch is always due. A partial one is due after batchMaxDelayMs, unless
     * batchPipelineDepth proposals are still unexecuted: then it keeps growing until one executes
     * (adaptive batching; see {@link ReplicaConfig#batchPipelineDepth()}).
     */
    private boolean due(long now, long lastExecuted) {
        if (queue.isEmpty()) {
            return false;
        }
        if (queue.size() >= config.batchMaxTransactions() || queue.bytes() >= config.batchMaxBytes()) {
            return true;
        }
        long unexecuted = nextSequence - 1 - lastExecuted;
        return now - firstWaitingSinceMs >= config.batchMaxDelayMs() && unexecuted < config.batchPipelineDepth();
    }

    /**
     * The next pre-prepare (unsigned) if a batch is due and the window has room, else null.
     *
     * @param lastExecuted the highest sequence this replica executed: proposals above it are in flight
     */
    PrePrepare cutIfDue(long view, int self, long now, long high, long lastExecuted) {
        return cutIfDue(view, self, now, high, lastExecuted, -1);
    }

    /**
     * As above; with nothing queued and everything proposed executed, an empty batch fills the next
     * sequence when it is at or below {@code fillLimit} (a pending replica-set change's boundary,
     * {@link Epochs#fillLimit}), so that the change takes effect without waiting for traffic.
     */
    PrePrepare cutIfDue(long view, int self, long now, long high, long lastExecuted, long fillLimit) {
        if (nextSequence > high) {
            return null;
        }
        if (!due(now, lastExecuted)) {
            if (!queue.isEmpty() || nextSequence > fillLimit || nextSequence - 1 != lastExecuted) {
                return null;
            }
            long timestamp = Math.max(now, lastTimestamp);
            lastTimestamp = timestamp;
            long sequence = nextSequence++;
            return new PrePrepare(self, view, sequence, timestamp, BatchDigest.ofRequests(timestamp, List.of()), List.of());
        }
        List<ClientRequest> batch = take();
        long timestamp = Math.max(now, lastTimestamp);
        lastTimestamp = timestamp;
        long sequence = nextSequence++;
        return new PrePrepare(self, view, sequence, timestamp, BatchDigest.ofRequests(timestamp, batch), batch);
    }

    private List<ClientRequest> take() {
        List<ClientRequest> batch = queue.take(config.batchMaxTransactions(), config.batchMaxBytes());
        // Leftovers keep the oldest waiting time: they have waited already (the window was full).
        if (queue.isEmpty()) {
            firstWaitingSinceMs = -1;
        }
        return batch;
    }
}
