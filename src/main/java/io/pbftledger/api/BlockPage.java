package io.pbftledger.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A page of block headers, newest first; {@code next} is the {@code before} value of the following page. */
@Schema(name = "BlockPage")
public record BlockPage(
        List<BlockView> blocks,
        @Schema(description = "Pass as before= to get the next (older) page; null after the genesis block", nullable = true)
        Long next) {
}
