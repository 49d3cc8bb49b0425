package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.TransactionRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reading the world state written by committed transactions. */
@RestController
@RequestMapping(path = "/api/v1/state", produces = JSON)
@Tag(name = "State", description = "Read the world state: the latest value of each key and its history")
public class StateController {
    private final LedgerQueries queries;
    private final StateReads reads;
    private final ReplyAttestor attestor;

    public StateController(LedgerQueries queries, ReplyAttestor attestor) {
        this.queries = queries;
        this.reads = new StateReads(queries);
        this.attestor = attestor;
    }

    @GetMapping("/{key}")
    @Operation(operationId = "getStateValue", summary = "The current value of a key",
            description = "The value written by the newest committed transaction with this key, as a JSON value, "
                    + "with this replica's signed attestation: at its newest block (height, blockHash) the key holds "
                    + "this value (bound as SHA-256 of its canonical JSON), written by txId.")
    @ApiResponse(responseCode = "200", description = "The value",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = StateView.class),
                    examples = @ExampleObject(value = ApiExamples.STATE)))
    @ApiResponse(responseCode = "400", description = "The key does not match [A-Za-z0-9._:-]{1,256}")
    @ApiResponse(responseCode = "404", description = "No committed transaction wrote this key")
    @ApiResponse(responseCode = "503", description = "This replica has no block yet, or the key changed during every "
            + "read attempt")
    public StateView value(@Parameter(description = "World-state key", example = "greeting") @PathVariable String key) {
        StateReads.AtHeight read = current(key);
        return StateView.of(read.entry(), attestor.state(read.entry(), read.header()));
    }

    @GetMapping("/{key}/proof")
    @Operation(operationId = "getStateProof", summary = "Proof of a key's current value",
            description = "The value with the proof of the transaction that wrote it (the transaction, its Merkle "
                    + "audit path, the block's txIds in order, and the block header with its commit certificate, as "
                    + "in GET /api/v1/transactions/{txId}/proof) and this replica's signed attestation of the height "
                    + "it answers at. The proof shows that the value was written by a committed transaction; that it "
                    + "is still current at the attested height is this replica's signed word.")
    @ApiResponse(responseCode = "200", description = "The value and its proof",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = StateProofView.class)))
    @ApiResponse(responseCode = "400", description = "The key does not match [A-Za-z0-9._:-]{1,256}")
    @ApiResponse(responseCode = "404", description = "No committed transaction wrote this key")
    @ApiResponse(responseCode = "503", description = "This replica has no block yet, the key changed during every "
            + "read attempt, or the transaction that wrote it or its block is not stored here")
    public StateProofView proof(@Parameter(description = "World-state key", example = "greeting") @PathVariable String key) {
        StateReads.AtHeight read = current(key);
        StateEntry entry = read.entry();
        TransactionRecord stored = queries.transaction(entry.txId()).orElseThrow(() -> new LedgerException(
                ErrorKind.UNAVAILABLE, "the transaction " + entry.txId().hex() + " that wrote key '" + key
                + "' is not stored at this replica"));
        Block block = queries.blockByHeight(stored.blockHeight()).orElseThrow(() -> new LedgerException(
                ErrorKind.UNAVAILABLE, "block " + stored.blockHeight() + " is not stored at this replica"));
        TransactionRecord writer = attestor.lies() ? WrongReplies.editedTransaction(stored) : stored;
        // The transaction that wrote the current value took effect by definition.
        return StateProofView.of(entry.key(), entry.value(),
                TransactionProofView.of(writer, block, TransactionOutcome.executed(), null),
                attestor.state(entry, read.header()));
    }

    /** The key's value and the newest block, as signed; a lying replica (fault injection) swaps the value. */
    private StateReads.AtHeight current(String key) {
        StateReads.AtHeight read = reads.read(ApiInputs.stateKey(key))
                .orElseThrow(() -> LedgerException.notFound("no value for key '" + key + "'"));
        return attestor.lies() ? new StateReads.AtHeight(WrongReplies.value(read.entry()), read.header()) : read;
    }

    @GetMapping("/{key}/history")
    @Operation(operationId = "getStateHistory", summary = "The values a key has held", description = "Newest first, at most limit entries.")
    @ApiResponse(responseCode = "200", description = "The history",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = StateView.History.class)))
    @ApiResponse(responseCode = "400", description = "Bad key or limit outside 1..100")
    @ApiResponse(responseCode = "404", description = "No committed transaction wrote this key")
    public StateView.History history(
            @Parameter(description = "World-state key", example = "greeting") @PathVariable String key,
            @Parameter(description = "At most this many entries, 1..100",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100", defaultValue = "20"))
            @RequestParam(defaultValue = "20") int limit) {
        List<StateEntry> entries = queries.stateHistory(ApiInputs.stateKey(key), ApiLimits.pageLimit(limit));
        if (entries.isEmpty()) {
            throw LedgerException.notFound("no value for key '" + key + "'");
        }
        List<StateView.Version> versions = new ArrayList<>(entries.size());
        for (StateEntry entry : entries) {
            versions.add(StateView.Version.of(entry));
        }
        return new StateView.History(key, List.copyOf(versions));
    }
}
