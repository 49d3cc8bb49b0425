package io.pbftledger.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The transactions of one block in execution order. */
@Schema(name = "BlockTransactions")
public record BlockTransactions(long height, String blockHash, List<TransactionView> transactions) {
}
