package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;
import static io.pbftledger.api.ProblemResponses.PROBLEM_JSON;

import io.pbftledger.chain.ClientMembershipStore;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Transaction;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.SubmitResult;
import io.pbftledger.node.TxStatus;
import io.pbftledger.pbft.message.Digest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/** Submitting transactions, one or a batch, and looking committed ones up. */
@RestController
@RequestMapping("/api/v1/transactions")
@Tag(name = "Transactions", description = "Submit client-signed transactions and look committed ones up")
public class TransactionController {
    private final LedgerService ledger;
    private final LedgerQueries queries;
    private final StrictJson json;
    private final BatchSubmitter batch;
    private final ReplyAttestor attestor;
    /** Where execution's refusals are stored: a committed transaction is EXECUTED unless it has one. */
    private final ClientMembershipStore refusals;

    public TransactionController(LedgerService ledger, LedgerQueries queries, StrictJson json, ReplyAttestor attestor,
                                 ClientMembershipStore refusals) {
        this.ledger = ledger;
        this.queries = queries;
        this.json = json;
        this.batch = new BatchSubmitter(ledger, json);
        this.attestor = attestor;
        this.refusals = refusals;
    }

    @PostMapping(consumes = JSON, produces = JSON)
    @Operation(operationId = "submitTransaction", summary = "Submit a signed transaction",
            description = "Validates the transaction (schema, chain id, client membership and submit role, Ed25519 "
                    + "signature) and queues it for ordering. Submission is idempotent: resubmitting the same "
                    + "transaction returns its current status and never executes it twice. With wait=true the answer "
                    + "is held (without blocking a server thread) until the transaction commits on this replica or "
                    + "waitMs passes.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "A client-signed transaction; unknown fields are rejected",
                    content = @Content(mediaType = JSON, schema = @Schema(implementation = TransactionRequest.class),
                            examples = @ExampleObject(name = "signed", summary = "A complete signed transaction",
                                    value = ApiExamples.SIGNED_TRANSACTION))))
    @ApiResponse(responseCode = "200", description = "Committed (already, or within waitMs when wait=true), with its "
            + "outcome (EXECUTED, or REFUSED with the refusal: ordered but refused at execution, no effect) and this "
            + "replica's signed attestation of (txId, blockHeight, blockHash, outcome)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = SubmitResponse.class),
                    examples = {@ExampleObject(name = "executed", value = ApiExamples.COMMITTED),
                            @ExampleObject(name = "refused", summary = "Ordered, but refused at execution",
                                    value = ApiExamples.COMMITTED_REFUSED)}))
    @ApiResponse(responseCode = "202", description = "Accepted and pending (or still pending after waitMs)",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = SubmitResponse.class),
                    examples = @ExampleObject(value = ApiExamples.PENDING)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON, schema violation, wrong chain id, bad waitMs",
            content = @Content(mediaType = PROBLEM_JSON,
                    examples = @ExampleObject(value = ApiExamples.PROBLEM_BAD_REQUEST)))
    @ApiResponse(responseCode = "401", description = "The signature does not verify (invalid-signature)",
            content = @Content(mediaType = PROBLEM_JSON,
                    examples = @ExampleObject(value = ApiExamples.PROBLEM_UNAUTHORIZED)))
    @ApiResponse(responseCode = "403", description = "The client is not a member (unknown-client) or lacks the submit "
            + "role (forbidden)",
            content = @Content(mediaType = PROBLEM_JSON,
                    examples = @ExampleObject(value = ApiExamples.PROBLEM_FORBIDDEN)))
    @ApiResponse(responseCode = "409", description = "The client's nonce was used for different content (nonce-reused)",
            content = @Content(mediaType = PROBLEM_JSON,
                    examples = @ExampleObject(value = ApiExamples.PROBLEM_CONFLICT)))
    @ApiResponse(responseCode = "413", description = "Body or canonical payload over its limit",
            content = @Content(mediaType = PROBLEM_JSON,
                    examples = @ExampleObject(value = ApiExamples.PROBLEM_TOO_LARGE)))
    @ApiResponse(responseCode = "429", description = "The mempool is full (mempool-full); the client is over its rate "
            + "or its pending transactions, or this address over its refused-request limit (rate-limited); the "
            + "consensus queue or the commit waiters are full (overloaded)",
            content = @Content(mediaType = PROBLEM_JSON,
                    examples = @ExampleObject(value = ApiExamples.PROBLEM_MEMPOOL_FULL)))
    @ApiResponse(responseCode = "503", description = "The consensus thread of this replica has stopped, or the replica "
            + "holds as many request-body bytes as it accepts at once (unavailable)")
    public DeferredResult<ResponseEntity<SubmitResponse>> submit(
            @RequestBody byte[] body,
            @Parameter(description = "Hold the answer until the transaction commits or waitMs passes")
            @RequestParam(defaultValue = "false") boolean wait,
            @Parameter(description = "How long wait=true waits, in milliseconds (1..60000)",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1", maximum = "60000", defaultValue = "10000"))
            @RequestParam(defaultValue = "10000") long waitMs) {
        if (waitMs < ApiLimits.WAIT_MIN_MS || waitMs > ApiLimits.WAIT_MAX_MS) {
            throw LedgerException.invalid("waitMs must be between " + ApiLimits.WAIT_MIN_MS + " and "
                    + ApiLimits.WAIT_MAX_MS + ", got " + waitMs);
        }
        Transaction tx = json.read(body, TransactionRequest.class).toTransaction(json);
        SubmitResult result = ledger.submit(tx);
        DeferredResult<ResponseEntity<SubmitResponse>> answer =
                new DeferredResult<>(waitMs + ApiLimits.WAIT_SAFETY_MARGIN_MS, () -> answer(result));
        if (result.status() == TxStatus.COMMITTED || !wait) {
            answer.setResult(answer(result));
            return answer;
        }
        CompletableFuture<ResponseEntity<SubmitResponse>> committed = ledger.whenCommitted(result.txId())
                .thenApply(this::answer)
                .completeOnTimeout(answer(result), waitMs, TimeUnit.MILLISECONDS);
        committed.whenComplete((response, error) -> {
            if (error == null) {
                answer.setResult(response);
            } else {
                answer.setErrorResult(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
        // Completing our own stage (never the service's shared future) releases it if the client goes away.
        answer.onCompletion(() -> committed.complete(null));
        return answer;
    }

    @PostMapping(path = "/batch", consumes = JSON, produces = JSON)
    @Operation(operationId = "submitTransactionBatch", summary = "Submit up to 1000 signed transactions",
            description = "Each item is validated and submitted on its own, in order; the answer lists one result per "
                    + "item. DUPLICATE means already committed or repeated earlier in the same batch. A body that is not "
                    + "a JSON array or is empty is refused as a whole (400), as is one with more than 1000 items (413).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = JSON,
                            array = @ArraySchema(schema = @Schema(implementation = TransactionRequest.class),
                                    minItems = 1, maxItems = ApiLimits.BATCH_MAX_TRANSACTIONS),
                            examples = @ExampleObject(name = "one", value = ApiExamples.BATCH))))
    @ApiResponse(responseCode = "200", description = "One result per item, in request order; with a Retry-After header "
            + "(seconds) when items were refused for now (429 or 503)",
            content = @Content(mediaType = JSON, array = @ArraySchema(schema = @Schema(implementation = BatchItemResult.class)),
                    examples = @ExampleObject(value = ApiExamples.BATCH_RESULTS)))
    @ApiResponse(responseCode = "400", description = "Not a JSON array, empty, or malformed JSON")
    @ApiResponse(responseCode = "413", description = "More than 1000 items or body over its limit")
    public ResponseEntity<List<BatchItemResult>> submitBatch(@RequestBody byte[] body) {
        BatchSubmitter.Answer answer = batch.submit(body);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (answer.retryAfterSeconds() > 0) {
            // Items refused for now get the advice a refused single submission gets, in its header.
            ok.header(HttpHeaders.RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
        }
        return ok.body(answer.items());
    }

    @GetMapping(path = "/{txId}/proof", produces = JSON)
    @Operation(operationId = "getTransactionProof", summary = "Proof that a transaction is committed",
            description = "The transaction, its Merkle audit path to the block's transactionsRoot (RFC 6962 shape: "
                    + "leaf = SHA-256(0x00 || txId), node = SHA-256(0x01 || left || right)), and the block header with "
                    + "its commit certificate, and the block's txIds in order. A client holding only the membership file "
                    + "can check it: recompute the txId from the transaction, the root from the path, batchDigest from "
                    + "the header's timestamp and the txIds, the block hash from the header, and 2f+1 replica "
                    + "signatures over COMMIT(view, sequence, batchDigest). transaction.outcome says whether execution "
                    + "took it (EXECUTED) or refused it (REFUSED, with transaction.refusal); the certificate proves the "
                    + "ordering only, so the outcome comes with this replica's signed attestation.")
    @ApiResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = TransactionProofView.class)))
    @ApiResponse(responseCode = "400", description = "txId is not 64 hex characters")
    @ApiResponse(responseCode = "404", description = "No committed transaction with this txId")
    public TransactionProofView proof(
            @Parameter(description = "Lowercase hex SHA-256 of the transaction's signing bytes",
                    example = ApiExamples.EXAMPLE_TX_ID)
            @PathVariable String txId) {
        Digest id = ApiInputs.digest("txId", txId);
        TransactionRecord record = queries.transaction(id)
                .orElseThrow(() -> LedgerException.notFound("no committed transaction with txId " + id.hex()));
        Block block = queries.blockByHeight(record.blockHeight())
                .orElseThrow(() -> LedgerException.notFound("block " + record.blockHeight() + " is not stored"));
        TransactionOutcome outcome = outcomeOf(record.txId());
        Block shownBlock = attestor.lies() ? WrongReplies.forgedHeader(block) : block;
        TransactionRecord shown = attestor.lies() ? WrongReplies.in(record, shownBlock) : record;
        return TransactionProofView.of(shown, shownBlock, outcome,
                attestor.transaction(shown.txId(), shown.blockHeight(), shown.blockHash(), outcome));
    }

    @GetMapping(path = "/{txId}", produces = JSON)
    @Operation(operationId = "getTransaction", summary = "Look up a transaction",
            description = "Returns the transaction as signed, with the block that holds it once committed, its "
                    + "outcome (EXECUTED, or REFUSED with the refusal) and this replica's signed attestation of "
                    + "(txId, blockHeight, blockHash, outcome); a transaction pending at this replica is shown as "
                    + "PENDING without a location, outcome or attestation.")
    @ApiResponse(responseCode = "200", description = "The committed transaction",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = TransactionView.class),
                    examples = @ExampleObject(value = ApiExamples.TRANSACTION)))
    @ApiResponse(responseCode = "400", description = "txId is not 64 hex characters")
    @ApiResponse(responseCode = "404", description = "No committed transaction with this txId",
            content = @Content(mediaType = PROBLEM_JSON,
                    examples = @ExampleObject(value = ApiExamples.PROBLEM_NOT_FOUND)))
    public TransactionView transaction(
            @Parameter(description = "Lowercase hex SHA-256 of the transaction's signing bytes",
                    example = ApiExamples.EXAMPLE_TX_ID)
            @PathVariable String txId) {
        Digest id = ApiInputs.digest("txId", txId);
        return queries.transaction(id).map(this::attested)
                .or(() -> ledger.pendingTransaction(id).map(tx -> TransactionView.pending(tx, id)))
                .orElseThrow(() -> LedgerException.notFound("no transaction with txId " + id.hex()
                        + " is committed or pending at this replica"));
    }

    private TransactionView attested(TransactionRecord truth) {
        TransactionRecord record = attestor.lies() ? WrongReplies.location(truth) : truth;
        TransactionOutcome outcome = outcomeOf(truth.txId());
        return TransactionView.of(record, outcome,
                attestor.transaction(record.txId(), record.blockHeight(), record.blockHash(), outcome));
    }

    private ResponseEntity<SubmitResponse> answer(SubmitResult result) {
        boolean committed = result.status() == TxStatus.COMMITTED;
        HttpStatus status = committed ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status)
                .body(SubmitResponse.of(result, committed ? outcomeOf(result.txId()) : null, attestor));
    }

    /**
     * The outcome of a committed transaction. Execution stores a block's refusals in the block's own
     * database transaction, so once a transaction reads as committed its refusal, if any, reads too. A
     * transaction ordered twice runs (or is refused) at its first position only; the refusal is that one's.
     */
    private TransactionOutcome outcomeOf(Digest txId) {
        TransactionOutcome truth = TransactionOutcome.of(refusals.refusal(txId));
        return attestor.lies() ? WrongReplies.outcome(truth) : truth;
    }
}
