package io.pbftledger.api;

import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.SubmitResult;
import io.pbftledger.node.TxStatus;
import io.pbftledger.web.ProblemType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Submits a JSON array of transactions item by item: one item's refusal never affects another.
 * Only a body that is not a JSON array, is empty, breaks a JSON limit or holds more than
 * {@link ApiLimits#BATCH_MAX_TRANSACTIONS} items fails as a whole, and before any item is
 * submitted. The body is never parsed into one tree: {@link StrictJson#forEachBatchItem} checks it
 * in a streaming pass that stops at the first item over the count, then hands over one item at a time.
 */
final class BatchSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchSubmitter.class);

    private final LedgerService ledger;
    private final StrictJson json;

    BatchSubmitter(LedgerService ledger, StrictJson json) {
        this.ledger = ledger;
        this.json = json;
    }

    /**
     * The results, one per item, and the Retry-After for the items refused for now (429 or 503), the
     * longest any of them was given; 0 when none was.
     */
    record Answer(List<BatchItemResult> items, long retryAfterSeconds) {
    }

    Answer submit(byte[] body) {
        List<BatchItemResult> results = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long[] retryAfter = {0};
        json.forEachBatchItem(body, ApiLimits.BATCH_MAX_TRANSACTIONS,
                (index, item) -> results.add(submitOne(index, item, seen, retryAfter)));
        return new Answer(List.copyOf(results), retryAfter[0]);
    }

    private BatchItemResult submitOne(int index, JsonNode item, Set<String> seen, long[] retryAfter) {
        String txId = null;
        try {
            Transaction tx = json.bind(item, TransactionRequest.class).toTransaction(json);
            txId = tx.txId().hex();
            if (!seen.add(txId)) {
                return BatchItemResult.duplicate(index, txId);
            }
            SubmitResult result = ledger.submit(tx);
            return result.status() == TxStatus.COMMITTED
                    ? BatchItemResult.duplicate(index, txId)
                    : BatchItemResult.accepted(index, txId);
        } catch (LedgerException e) {
            Problem problem = ApiExceptionHandler.problemOf(e);
            if (ApiExceptionHandler.retryLater(problem.status())) {
                retryAfter[0] = Math.max(retryAfter[0], ApiLimits.retryAfterSeconds(e));
            }
            return BatchItemResult.rejected(index, txId, problem);
        } catch (RuntimeException e) {
            // Items before this one are already queued, so the batch must still answer item by item.
            LOG.error("unexpected error submitting batch item {}", index, e);
            return BatchItemResult.rejected(index, txId, Problem.of(ProblemType.INTERNAL_ERROR, Problem.INTERNAL_ERROR_DETAIL));
        }
    }
}
