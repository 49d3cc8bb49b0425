package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.OrderedRequests;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.pbft.message.ClientRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A committed transaction with everything needed to check it against the membership keys alone. */
@Schema(name = "TransactionProof")
public record TransactionProofView(
        @Schema(description = "The transaction as signed, with its location") TransactionView transaction,
        @Schema(description = "Position of the transaction in the block") int index,
        @Schema(description = "Number of transactions in the block (the Merkle tree's size)") int transactionCount,
        @Schema(description = "Sibling hashes from the leaf up to transactionsRoot, lowercase hex") List<String> merklePath,
        @Schema(description = "The block's txIds in order, lowercase hex: the leaves of the Merkle tree whose root is "
                + "transactionsRoot") List<String> transactionIds,
        @Schema(description = "The block's request ids in order, lowercase hex: SHA-256 of each transaction's wire bytes "
                + "(signed bytes and signature). With the header's timestamp they recompute batchDigest = "
                + "SHA-256(\"pbft-ledger/batch/v1\" || u64 timestamp || u32 count || ids), which is what the commit "
                + "certificate signs; the certificate does not sign transactionsRoot or the block hash, so this list is "
                + "what ties the exact transaction to the agreed batch. In a block ordered by a version that ordered by "
                + "txId, these are the txIds") List<String> requestIds,
        @Schema(description = "The block header with its commit certificate") BlockView block,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(nullable = true, description = "This replica's signature over (txId, blockHeight, blockHash) and the "
                + "outcome in transaction.outcome (statement kind 1 EXECUTED, kind 3 REFUSED). The commit certificate "
                + "proves that the transaction was ordered, not what execution did with it: the outcome is this "
                + "replica's signed word (absent inside a state proof, whose transaction wrote the value and so was "
                + "executed)") Attestation attestation) {

    /** The proof of a committed transaction, its outcome and this replica's signed statement of both. */
    static TransactionProofView of(TransactionRecord record, Block block, TransactionOutcome outcome,
                                   Attestation attestation) {
        List<byte[]> leaves = new ArrayList<>(block.transactions().size());
        List<String> ids = new ArrayList<>(block.transactions().size());
        for (Transaction tx : block.transactions()) {
            leaves.add(tx.txId().bytes());
            ids.add(tx.txId().hex());
        }
        List<String> requestIds = new ArrayList<>(block.transactions().size());
        for (ClientRequest request : OrderedRequests.of(block.header(), block.transactions())) {
            requestIds.add(request.id().hex());
        }
        List<String> path = new ArrayList<>();
        for (byte[] sibling : MerkleTree.path(leaves, record.index())) {
            path.add(HexFormat.of().formatHex(sibling));
        }
        return new TransactionProofView(TransactionView.of(record, outcome, null), record.index(), leaves.size(),
                List.copyOf(path), List.copyOf(ids), List.copyOf(requestIds), BlockView.full(block), attestation);
    }
}
