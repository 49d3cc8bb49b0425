package io.pbftledger.transport;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockCodec;
import io.pbftledger.chain.BlockVolume;
import java.util.List;
import java.util.SortedMap;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.node.CheckpointStore;
import io.pbftledger.web.ProblemType;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a replica serves its peers for state transfer: pages of whole blocks with certificates
 * ({@code GET /pbft/blocks?from=&limit=}) and its newest stable checkpoint with its proof
 * ({@code GET /pbft/checkpoint}). Both binary; the receiver verifies everything. A page is cut by
 * size before any block is loaded: the blocks' volumes come first ({@link PeerBlockPages#volumesBetween}),
 * and only the blocks that fit the page's byte budget are then read.
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
    /** Estimated bytes of one transaction in a page besides its payload: ids, key, signature, framing. */
    static final long TRANSACTION_OVERHEAD_BYTES = 256;

    private final PeerBlockPages pages;
    private final CheckpointStore checkpoints;

    /** Serves the stored blocks, or what a {@link PeerBlockPages} bean serves instead (fault injection). */
    public PeerStateController(LedgerQueries queries, CheckpointStore checkpoints, ObjectProvider<PeerBlockPages> pages) {
        this.pages = pages.getIfAvailable(() -> PeerBlockPages.stored(queries));
        this.checkpoints = checkpoints;
    }

    @GetMapping(path = BLOCKS_PATH, produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<?> blocks(@RequestParam long from, @RequestParam(defaultValue = "50") int limit) {
        if (from < 0 || limit < 1 || limit > PAGE_MAX_BLOCKS) {
            ProblemDetail problem = ProblemType.INVALID_REQUEST.toProblemDetail(
                    "from must be >= 0 and limit 1.." + PAGE_MAX_BLOCKS);
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        long to = from > Long.MAX_VALUE - limit ? Long.MAX_VALUE : from + limit - 1;
        List<Block> page = pages.blocksBetween(from, lastFitting(from, to, pages.volumesBetween(from, to)));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(BlockCodec.encode(page));
    }

    /** The highest height in [from, to] up to which the blocks fit {@link #PAGE_MAX_BYTES}; at least {@code from}. */
    static long lastFitting(long from, long to, SortedMap<Long, BlockVolume> volumes) {
        long bytes = 0;
        for (long height = from; height <= to && height >= from; height++) {
            BlockVolume volume = volumes.get(height);
            bytes += volume == null ? 0 : volume.payloadChars() + volume.transactions() * TRANSACTION_OVERHEAD_BYTES;
            if (height > from && bytes > PAGE_MAX_BYTES) {
                return height - 1;
            }
        }
        return to;
    }

    @GetMapping(path = CHECKPOINT_PATH, produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<byte[]> checkpoint() {
        return checkpoints.latest()
                .map(cp -> ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(CheckpointWire.encode(cp)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }
}
