package io.pbftledger.transport;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockCodec;
import io.pbftledger.chain.Transaction;
import java.util.ArrayList;
import java.util.List;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.node.CheckpointStore;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a replica serves its peers for state transfer: pages of whole blocks with certificates
 * ({@code GET /pbft/blocks?from=&limit=}) and its newest stable checkpoint with its proof
 * ({@code GET /pbft/checkpoint}). Both binary; the receiver verifies everything.
 */
@Hidden
@RestController
public class PeerStateController {
    static final String BLOCKS_PATH = "/pbft/blocks";
    static final String CHECKPOINT_PATH = "/pbft/checkpoint";
    /** Most blocks one page holds. */
    static final int PAGE_MAX_BLOCKS = 100;
    /** A page stops before this many bytes (estimated), but always holds at least one block. */
    public static final long PAGE_MAX_BYTES = 16L << 20;

    private final PeerBlockPages pages;
    private final CheckpointStore checkpoints;

    /** Serves the stored blocks, or what a {@link PeerBlockPages} bean serves instead (fault injection). */
    public PeerStateController(LedgerQueries queries, CheckpointStore checkpoints, ObjectProvider<PeerBlockPages> pages) {
        this.pages = pages.getIfAvailable(() -> queries::blocksBetween);
        this.checkpoints = checkpoints;
    }

    @GetMapping(path = BLOCKS_PATH, produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<?> blocks(@RequestParam long from, @RequestParam(defaultValue = "50") int limit) {
        if (from < 0 || limit < 1 || limit > PAGE_MAX_BLOCKS) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "from must be >= 0 and limit 1.." + PAGE_MAX_BLOCKS);
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        List<Block> page = new ArrayList<>();
        long bytes = 0;
        for (Block block : pages.blocksBetween(from, from + limit - 1)) {
            for (Transaction tx : block.transactions()) {
                bytes += tx.payload().length() + 256;
            }
            if (!page.isEmpty() && bytes > PAGE_MAX_BYTES) {
                break;
            }
            page.add(block);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(BlockCodec.encode(page));
    }

    @GetMapping(path = CHECKPOINT_PATH, produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<byte[]> checkpoint() {
        return checkpoints.latest()
                .map(cp -> ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(CheckpointWire.encode(cp)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }
}
