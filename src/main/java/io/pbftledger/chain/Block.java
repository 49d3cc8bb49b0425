package io.pbftledger.chain;

import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.Objects;

/**
 * A block: its header, its hash, its transactions in execution order and the commit certificate
 * (2f+1 signed COMMITs for the header's view, sequence and batch digest). The certificate is
 * stored beside the block and not hashed, since replicas may hold different 2f+1 subsets.
 */
public record Block(BlockHeader header, Digest hash, List<Transaction> transactions, List<Signed<Commit>> certificate) {
    public Block {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(hash, "hash");
        transactions = List.copyOf(transactions);
        certificate = List.copyOf(certificate);
        if (!header.hash().equals(hash)) {
            throw new IllegalArgumentException("block hash does not match its header");
        }
        if (header.transactionCount() != transactions.size()) {
            throw new IllegalArgumentException("transactionCount does not match the transactions");
        }
    }

    public static Block of(BlockHeader header, List<Transaction> transactions, List<Signed<Commit>> certificate) {
        return new Block(header, header.hash(), transactions, certificate);
    }

    public long height() {
        return header.height();
    }
}
