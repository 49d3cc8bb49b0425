package io.pbftledger.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import tools.jackson.databind.JsonNode;

/**
 * Several transactions per request, {@code POST /api/v1/transactions/batch}, which answers at once
 * with one result per item; commits are seen by the {@link BlockFollower}. A refused item fails
 * alone; an overloaded replica or a broken connection resends the whole unit (items already queued
 * or committed come back ACCEPTED or DUPLICATE and are not executed twice). Items accepted but not
 * committed within {@code resendAfterMs} are sent again to the next replica, as a PBFT client re-sends
 * on timeout: the replica that accepted them may have crashed with them in its mempool.
 */
final class BatchingSubmitter extends Submitter {
    static final String STILL_PENDING = "batch items not committed after waitMs (resent to the next replica)";
    private final long resendAfterMs;

    BatchingSubmitter(LedgerEndpoints endpoints, List<String> replicaUrls, CommitTracker tracker, ErrorCounts errors,
                      ScheduledExecutorService retries, long resendAfterMs) {
        super(endpoints, replicaUrls, tracker, errors, retries);
        this.resendAfterMs = resendAfterMs;
    }

    @Override
    void submit(List<Workload.SignedTx> unit, int replica) {
        if (unit.isEmpty()) {
            return;
        }
        List<String> bodies = new ArrayList<>(unit.size());
        unit.forEach(tx -> bodies.add(tx.body()));
        endpoints.submitBatch(replicaUrls.get(replica), bodies).whenComplete((answer, error) -> {
            if (error != null) {
                errors.add(error);
                pending(unit).forEach(tx -> tracker.mayBeAccepted(tx.index())); // the request may have arrived
                retryLater(pending(unit), 0, () -> submit(pending(unit), next(replica)));
            } else if (answer.ok() && answer.body().isArray() && answer.body().size() == unit.size()) {
                List<Workload.SignedTx> again = items(unit, answer.body());
                if (!again.isEmpty()) {
                    // The batch's Retry-After is the advice for its items refused for now.
                    retryLater(again, answer.retryAfterSeconds(), () -> submit(pending(again), next(replica)));
                }
                // Only what the replica took waits for its commit here; the refused items wait for their retry.
                List<Workload.SignedTx> taken = new ArrayList<>(unit);
                taken.removeAll(again);
                later(resendAfterMs, () -> resendUncommitted(taken, replica));
            } else if (retryable(answer.status())) {
                errors.add(answer.errorKind());
                retryLater(pending(unit), answer.retryAfterSeconds(), () -> submit(pending(unit), next(replica)));
            } else {
                errors.add(answer.ok() ? "batch answer without one result per item" : answer.errorKind());
                unit.forEach(tx -> tracker.failed(tx.index()));
            }
        });
    }

    /**
     * Reads the per-item results; returns the items refused for now (429, 503: a full mempool), which
     * are sent again to the next replica like a whole unit refused for overload.
     */
    private List<Workload.SignedTx> items(List<Workload.SignedTx> unit, JsonNode results) {
        List<Workload.SignedTx> again = new ArrayList<>();
        for (int i = 0; i < unit.size(); i++) {
            JsonNode result = results.get(i);
            Workload.SignedTx tx = unit.get(i);
            if ("REJECTED".equals(result.path("status").asString(""))) {
                JsonNode problem = result.path("problem");
                int status = problem.path("status").asInt(0);
                errors.add("rejected " + status + " " + problem.path("title").asString("?"));
                if (retryable(status)) {
                    again.add(tx);
                } else {
                    tracker.failed(tx.index());
                }
            } else if (!tx.txId().equals(result.path("txId").asString(""))) {
                errors.add("wrong txId in batch answer");
                tracker.failed(tx.index());
            } else {
                tracker.mayBeAccepted(tx.index()); // ACCEPTED, or DUPLICATE (held or committed already)
            }
        }
        return again;
    }

    private void resendUncommitted(List<Workload.SignedTx> unit, int replica) {
        List<Workload.SignedTx> left = pending(unit);
        if (!left.isEmpty() && !givenUp()) {
            errors.add(STILL_PENDING);
            submit(left, next(replica));
        }
    }

    /** What of a unit still waits for its commit: a retry after a partial success resends no more than needed. */
    private List<Workload.SignedTx> pending(List<Workload.SignedTx> unit) {
        List<Workload.SignedTx> left = new ArrayList<>(unit.size());
        for (Workload.SignedTx tx : unit) {
            if (tracker.isInFlight(tx.index())) {
                left.add(tx);
            }
        }
        return left;
    }
}
