package io.pbftledger.bench;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One transaction per request, {@code POST /api/v1/transactions?wait=true}: the replica answers 200
 * COMMITTED once the transaction is in a block there, which is the commit time measured. A 202
 * (still pending after waitMs) is sent again to the next replica, as a PBFT client does when its
 * request times out (a replica stuck in a view change of its own may hold it forever); each such
 * resend counts as an error of kind {@value #STILL_PENDING}, and the latency keeps counting.
 */
final class WaitingSubmitter extends Submitter {
    static final String STILL_PENDING = "still pending after waitMs (resent to the next replica)";
    private final long waitMs;

    WaitingSubmitter(LedgerEndpoints endpoints, List<String> replicaUrls, CommitTracker tracker, ErrorCounts errors,
                     ScheduledExecutorService retries, long waitMs) {
        super(endpoints, replicaUrls, tracker, errors, retries);
        this.waitMs = waitMs;
    }

    @Override
    void submit(List<Workload.SignedTx> unit, int replica) {
        if (unit.size() != 1) {
            throw new IllegalArgumentException("a waiting submission carries exactly one transaction, got " + unit.size());
        }
        send(unit, replica);
    }

    private void send(List<Workload.SignedTx> unit, int replica) {
        Workload.SignedTx tx = unit.get(0);
        endpoints.submitAndWait(replicaUrls.get(replica), tx.body(), waitMs).whenComplete((answer, error) -> {
            if (error != null) {
                errors.add(error);
                tracker.mayBeAccepted(tx.index()); // the request may have arrived
                retryLater(unit, 0, () -> send(unit, next(replica)));
            } else if (answer.ok() && !tx.txId().equals(answer.body().path("txId").asString(""))) {
                errors.add("wrong txId in answer");
                tracker.failed(tx.index());
            } else if (answer.status() == 200 && "COMMITTED".equals(answer.body().path("status").asString(""))) {
                tracker.committed(tx.index(), System.nanoTime());
            } else if (answer.status() == 202) {
                tracker.mayBeAccepted(tx.index());
                errors.add(STILL_PENDING);
                if (givenUp()) {
                    tracker.failed(tx.index());
                } else {
                    send(unit, (replica + 1) % replicaUrls.size());
                }
            } else if (retryable(answer.status())) {
                errors.add(answer.errorKind());
                retryLater(unit, answer.retryAfterSeconds(), () -> send(unit, next(replica)));
            } else {
                errors.add(answer.errorKind());
                tracker.failed(tx.index());
            }
        });
    }
}
