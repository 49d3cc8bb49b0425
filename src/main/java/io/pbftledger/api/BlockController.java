package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ClientMembershipStore;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Refusal;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reading the chain: pages of headers, single blocks with their certificates, a block's transactions. */
@RestController
@RequestMapping(path = "/api/v1/blocks", produces = JSON)
@Tag(name = "Blocks", description = "Browse the chain of committed blocks")
public class BlockController {
    private final LedgerQueries queries;
    private final ClientMembershipStore refusals;

    public BlockController(LedgerQueries queries, ClientMembershipStore refusals) {
        this.queries = queries;
        this.refusals = refusals;
    }

    @GetMapping
    @Operation(operationId = "listBlocks", summary = "List block headers, newest first",
            description = "Pages backwards through the chain. Without before, starts at the newest block; pass the "
                    + "answer's next as before to get the following (older) page. Lists omit certificates.")
    @ApiResponse(responseCode = "200", description = "A page of headers",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = BlockPage.class)))
    @ApiResponse(responseCode = "400", description = "before is negative or limit is outside 1..100")
    public BlockPage blocks(
            @Parameter(description = "Only blocks with height strictly below this") @RequestParam(required = false) Long before,
            @Parameter(description = "Page size, 1..100", schema = @Schema(type = "integer", format = "int32",
                    minimum = "1", maximum = "100", defaultValue = "20"))
            @RequestParam(defaultValue = "20") int limit) {
        long below = before == null ? Long.MAX_VALUE : ApiInputs.height("before", before);
        List<BlockHeader> headers = queries.headersBefore(below, ApiLimits.pageLimit(limit));
        List<BlockView> views = new ArrayList<>(headers.size());
        for (BlockHeader header : headers) {
            views.add(BlockView.summary(header));
        }
        Long next = headers.isEmpty() || headers.get(headers.size() - 1).height() == 0
                ? null : headers.get(headers.size() - 1).height();
        return new BlockPage(List.copyOf(views), next);
    }

    @GetMapping("/latest")
    @Operation(operationId = "getLatestBlock", summary = "The newest block", description = "The highest block this replica has committed, with its certificate.")
    @ApiResponse(responseCode = "200", description = "The newest block",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = BlockView.class),
                    examples = @ExampleObject(value = ApiExamples.BLOCK)))
    @ApiResponse(responseCode = "503", description = "The store holds no block yet")
    public BlockView latest() {
        List<BlockHeader> newest = queries.headersBefore(Long.MAX_VALUE, 1);
        if (newest.isEmpty()) {
            throw new LedgerException(ErrorKind.UNAVAILABLE, "the chain holds no block yet");
        }
        return byHeight(newest.get(0).height());
    }

    @GetMapping("/{height}")
    @Operation(operationId = "getBlockByHeight", summary = "A block by height", description = "The block at this height, with its commit certificate.")
    @ApiResponse(responseCode = "200", description = "The block",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = BlockView.class),
                    examples = @ExampleObject(value = ApiExamples.BLOCK)))
    @ApiResponse(responseCode = "400", description = "height is not a non-negative integer")
    @ApiResponse(responseCode = "404", description = "No block at this height")
    public BlockView block(@Parameter(description = "Block height, 0 is genesis") @PathVariable long height) {
        return byHeight(ApiInputs.height("height", height));
    }

    @GetMapping("/hash/{hash}")
    @Operation(operationId = "getBlockByHash", summary = "A block by hash", description = "The block with this header hash, with its commit certificate.")
    @ApiResponse(responseCode = "200", description = "The block",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = BlockView.class)))
    @ApiResponse(responseCode = "400", description = "hash is not 64 hex characters")
    @ApiResponse(responseCode = "404", description = "No block with this hash")
    public BlockView blockByHash(
            @Parameter(description = "Hex SHA-256 of the block header", example = ApiExamples.EXAMPLE_BLOCK_HASH)
            @PathVariable String hash) {
        Digest digest = ApiInputs.digest("hash", hash);
        return queries.blockByHash(digest).map(BlockView::full)
                .orElseThrow(() -> LedgerException.notFound("no block with hash " + digest.hex()));
    }

    @GetMapping("/{height}/transactions")
    @Operation(operationId = "getBlockTransactions", summary = "The transactions of a block", description = "In execution order, each with its location "
            + "and the outcome at its position: EXECUTED, REFUSED (with refusal) or SKIPPED (ordered again; its "
            + "(clientId, nonce) ran at an earlier position).")
    @ApiResponse(responseCode = "200", description = "The block's transactions",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = BlockTransactions.class)))
    @ApiResponse(responseCode = "400", description = "height is not a non-negative integer")
    @ApiResponse(responseCode = "404", description = "No block at this height")
    public BlockTransactions transactions(@PathVariable long height) {
        Block block = queries.blockByHeight(ApiInputs.height("height", height))
                .orElseThrow(() -> LedgerException.notFound("no block at height " + height));
        List<TransactionRecord> records = queries.blockTransactions(height);
        if (records.isEmpty()) {
            return new BlockTransactions(height, block.hash().hex(), List.of());
        }
        Set<Integer> skipped = new HashSet<>(queries.skippedInBlock(height));
        Map<Integer, Refusal> refused = new TreeMap<>();
        for (Refusal refusal : refusals.refusalsInBlock(height)) {
            refused.put(refusal.index(), refusal);
        }
        List<TransactionView> views = new ArrayList<>(records.size());
        for (TransactionRecord record : records) {
            views.add(TransactionView.listed(record, outcomeAt(record.index(), skipped, refused)));
        }
        return new BlockTransactions(height, block.hash().hex(), List.copyOf(views));
    }

    /**
     * By position, not txId: a skipped copy shares its txId with the first copy, which may be refused,
     * so a refusal applies only at the index where it was stored.
     */
    private static TransactionOutcome outcomeAt(int index, Set<Integer> skipped, Map<Integer, Refusal> refused) {
        if (skipped.contains(index)) {
            return TransactionOutcome.skipped();
        }
        return TransactionOutcome.of(Optional.ofNullable(refused.get(index)));
    }

    private BlockView byHeight(long height) {
        return queries.blockByHeight(height).map(BlockView::full)
                .orElseThrow(() -> LedgerException.notFound("no block at height " + height));
    }
}
